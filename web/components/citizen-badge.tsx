import type { CitizenView } from '../citizen-pages.views';
import { maskedId } from '../format';
import type { Messages } from '../i18n/vi';

/** Who is signed in: the name and the masked personal id (never the whole id), with the level of assurance. */
export function CitizenBadge({ citizen, m }: { citizen: CitizenView; m: Messages }) {
  return (
    <section class="citizen" aria-label={m.signedInAs}>
      <p>
        {m.signedInAs}: <strong>{citizen.name ?? '—'}</strong>
      </p>
      <p>
        {m.personalId}: <span class="masked-id">{maskedId(citizen.maskedPersonalId)}</span>
        {' · '}
        {m.assuranceLevel}: {m.assurance[citizen.acr] ?? citizen.acr}
      </p>
    </section>
  );
}
