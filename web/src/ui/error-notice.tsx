import { formatError } from '../lib/api/api-error';

/** An error as a person should see it: what happened, and the id to quote when asking for help. */
export function ErrorNotice({ error, action }: { error: unknown; action?: React.ReactNode }) {
  const shown = formatError(error);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{shown.title}</p>
      <p>{shown.message}</p>
      {shown.fields.length > 0 && (
        <ul className="notice-fields">
          {shown.fields.map((field) => (
            <li key={`${field.path}:${field.message}`}>
              <strong>{field.path}</strong> {field.message}
            </li>
          ))}
        </ul>
      )}
      {shown.requestId && (
        <p className="notice-request">
          Request id: <code>{shown.requestId}</code>
        </p>
      )}
      {action}
    </div>
  );
}
