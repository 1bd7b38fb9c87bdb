'use client';

import { useEffect, useRef, useState } from 'react';

/**
 * A destructive action in two steps: the first press asks, the second does it. Focus moves to the
 * question's confirm button and back, so it works from the keyboard.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  pending,
  onConfirm,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  pending?: boolean;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) {
      confirmRef.current?.focus();
    } else if (wasAsking.current) {
      openRef.current?.focus();
    }
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={openRef}
        type="button"
        className="button button-small button-danger"
        disabled={pending}
        onClick={() => setAsking(true)}
      >
        {pending ? 'Working…' : label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm-question">{question}</span>
      <button
        ref={confirmRef}
        type="button"
        className="button button-small button-danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button button-small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
