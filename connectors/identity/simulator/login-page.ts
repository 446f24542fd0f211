export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface LoginPageUser {
  personalId: string;
  name: string;
  level: 1 | 2 | 3;
}

/** The sign-in page, Vietnamese first with English, no scripts or styles from elsewhere. */
export function renderLoginPage(page: { uid: string; users: LoginPageUser[]; error?: boolean }): string {
  const action = `/interaction/${encodeURIComponent(page.uid)}/login`;
  const rows = page.users
    .map(
      (u) =>
        `<li><label><input type="radio" name="personalId" value="${escapeHtml(u.personalId)}"> ${escapeHtml(u.personalId)} — ${escapeHtml(u.name)} (mức ${u.level} / level ${u.level})</label></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập bằng định danh điện tử (mô phỏng) / National identity sign-in (simulator)</title>
<style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}.en{color:#555}.error{color:#a00}label{display:block;margin:.3rem 0}</style>
</head>
<body>
<h1>Đăng nhập bằng tài khoản định danh điện tử <span class="en">/ Sign in with your national identity</span></h1>
<p>Môi trường mô phỏng: mọi tài khoản thử dùng mật khẩu <code>vneid-test</code>. <span class="en">Simulator: every test account uses the password <code>vneid-test</code>.</span></p>
${page.error ? '<p class="error" role="alert">Số định danh hoặc mật khẩu không đúng. <span class="en">Wrong personal id or password.</span></p>' : ''}
<form method="post" action="${action}">
<label>Số định danh cá nhân <span class="en">/ Personal id</span> <input name="personalId" inputmode="numeric" pattern="[0-9]{12}" autocomplete="username"></label>
<label>Mật khẩu <span class="en">/ Password</span> <input name="password" type="password" autocomplete="current-password" required></label>
<fieldset><legend>Hoặc chọn tài khoản thử <span class="en">/ Or pick a test account</span></legend><ul>
${rows}
</ul></fieldset>
<button type="submit">Đăng nhập <span class="en">/ Sign in</span></button>
</form>
</body>
</html>
`;
}
