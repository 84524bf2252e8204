// The app's design system, as far as messages need it: a dialog and a banner. Beckon's message content is plain
// text, so it is rendered as text.
import { useNavigate } from 'react-router';
import type { HeadlessMessage } from '@beckon/react';

export function Dialog({ message }: { message: HeadlessMessage }) {
  const navigate = useNavigate();
  const { title, body, actions = [] } = message.content;
  return (
    <div className="backdrop" data-message={message.id}>
      <div role="dialog" aria-modal="true" aria-labelledby={`title-${message.id}`} className="dialog">
        <h2 id={`title-${message.id}`}>{title}</h2>
        {body && <p>{body}</p>}
        <div className="actions">
          {actions.map((action) => (
            <button
              key={action.id}
              className={action.style === 'primary' ? 'primary' : undefined}
              onClick={() => {
                // Records the click (and the dismissal of a `dismiss` action); the URL is ours to follow.
                const url = message.action(action.id);
                if (url) navigate(url);
              }}
            >
              {action.label}
            </button>
          ))}
        </div>
        <button className="close" aria-label="Close" onClick={() => message.dismiss('close-button')}>
          ×
        </button>
      </div>
    </div>
  );
}

export function Banner({ message }: { message: HeadlessMessage }) {
  return (
    <div role="status" className="banner" data-message={message.id}>
      <span>{message.content.title}</span>
      <button className="close" aria-label="Close" onClick={() => message.dismiss('close-button')}>
        ×
      </button>
    </div>
  );
}
