/**
 * The situation a paper that is not always required is needed in, as the catalogue words it. The
 * national records write the condition into the paper's name ("Trường hợp trẻ em bị bỏ rơi thì …",
 * "… trong trường hợp ủy quyền …", "… (nếu có)"); a portal shows it beside the paper.
 */
const LEADING = /^(?:\([ivx]+\)\s*)?(?:Trường hợp|Nếu|Đối với)\b/iu;
const INLINE = /(?:trong trường hợp|đối với trường hợp|đối với|nếu người có yêu cầu lựa chọn|trường hợp)\s[^;.]*|\(nếu có\)/iu;

/**
 * The condition clause of a paper's name: the whole name when it opens with the condition, else the
 * clause from "trong trường hợp …", "đối với …", "nếu người có yêu cầu lựa chọn …" or "(nếu có)";
 * null when the name states none (an alternative to another paper, read from the procedure).
 */
export function paperCondition(name: string): string | null {
  if (LEADING.test(name)) return name.replace(/^\([ivx]+\)\s*/iu, '');
  const inline = INLINE.exec(name);
  if (!inline) return null;
  const clause = inline[0].replace(/^\(|\)$/g, '').trim();
  return clause.charAt(0).toUpperCase() + clause.slice(1);
}
