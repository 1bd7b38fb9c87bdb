'use client';

import { type KeyboardEvent, useContext, useId, useMemo, useRef, useState } from 'react';
import { PublicConfigContext } from '../../lib/config/public-config';
import styles from './agents.module.css';
import { absoluteGatewayUrl, connectSnippets } from './connect-snippets';

/**
 * How to connect the agent a key was just issued to, with the key filled in: one tab a way
 * (Claude Code, Codex, the runner, a shell script). Tabs follow the ARIA tabs pattern: arrow keys,
 * Home and End move between them.
 */
export function ConnectPanel({ agentName, agentKey }: { agentName: string; agentKey: string }) {
  const { gatewayUrl } = useContext(PublicConfigContext);
  const snippets = useMemo(
    () =>
      connectSnippets({
        gatewayUrl: absoluteGatewayUrl(gatewayUrl, window.location.origin),
        agentName,
        key: agentKey,
      }),
    [gatewayUrl, agentName, agentKey],
  );
  const id = useId();
  const [selected, setSelected] = useState(0);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const snippet = snippets[selected]!;

  function select(index: number) {
    setSelected(index);
    setCopied('idle');
    tabs.current[index]?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const last = snippets.length - 1;
    const next = {
      ArrowRight: selected === last ? 0 : selected + 1,
      ArrowLeft: selected === 0 ? last : selected - 1,
      Home: 0,
      End: last,
    }[event.key];
    if (next !== undefined) {
      event.preventDefault();
      select(next);
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(snippet.code);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <div className={styles.connect}>
      <h3 id={`${id}-heading`}>Connect it</h3>
      <div
        role="tablist"
        aria-labelledby={`${id}-heading`}
        className={styles.connectTabs}
        onKeyDown={onKeyDown}
      >
        {snippets.map((each, index) => (
          <button
            key={each.id}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${each.id}`}
            aria-selected={index === selected}
            aria-controls={`${id}-panel`}
            tabIndex={index === selected ? 0 : -1}
            className={styles.connectTab}
            onClick={() => select(index)}
          >
            {each.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${snippet.id}`}>
        <p className="muted">{snippet.hint}</p>
        <pre className={styles.snippet} tabIndex={0} aria-label={`${snippet.label} setup`}>
          <code>{snippet.code}</code>
        </pre>
        <button type="button" className="button" onClick={() => void copy()}>
          Copy {snippet.label} setup
        </button>
        <span className="muted" role="status">
          {copied === 'copied' && ' Copied.'}
          {copied === 'failed' && ' Copying is not allowed here: select the text and copy it.'}
        </span>
      </div>
    </div>
  );
}
