import { formatDateTime, isoDateTime } from '../format';

/** A date as Vietnamese papers write it (dd/MM/yyyy HH:mm, Vietnam time), machine-readable too. */
export function DateTime({ at }: { at: Date }) {
  return <time dateTime={isoDateTime(at)}>{formatDateTime(at)}</time>;
}
