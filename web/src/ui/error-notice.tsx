import { formatError } from '../lib/api/api-error';

/**
 * An error as a person should see it: what happened in words, fields by their names; the request
 * id to quote when asking for help is one click away, under "Details".
 */
export function ErrorNotice({ error, action }: { error: unknown; action?: React.ReactNode }) {
  const shown = formatError(error);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{shown.title}</p>
      {shown.message !== '' && <p>{shown.message}</p>}
      {shown.fields.length > 0 && (
        <ul className="notice-fields">
          {shown.fields.map((field) => (
            <li key={`${field.label}:${field.message}`}>
              <strong>{field.label}:</strong> {field.message}
            </li>
          ))}
        </ul>
      )}
      {shown.requestId && (
        <details className="notice-request">
          <summary>Details</summary>
          <p>
            Request id: <code>{shown.requestId}</code>
          </p>
        </details>
      )}
      {action}
    </div>
  );
}
