'use client';

import { type ReactNode, type RefObject, useEffect, useId, useRef } from 'react';
import styles from './modal-dialog.module.css';

/**
 * A modal over the page: the native <dialog> shown with showModal() makes the rest of the page
 * inert (focus stays inside) and closes on Escape. On closing, focus goes back to `returnFocus`,
 * the button that opened it, so a keyboard user is where they were.
 */
export function ModalDialog({
  open,
  title,
  onClose,
  returnFocus,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  returnFocus: RefObject<HTMLElement | null>;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) {
      return;
    }
    if (open && !dialog.open) {
      dialog.showModal();
      // showModal() focuses the first button (Close); the first field is where one starts.
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={headingId}
      className={styles.dialog}
      // Escape, the close button and close() all end here: the owner's state follows.
      onClose={() => {
        onClose();
        returnFocus.current?.focus();
      }}
    >
      <div className={styles.header}>
        <h2 id={headingId}>{title}</h2>
        <button
          type="button"
          className="button button-quiet button-small"
          onClick={() => ref.current?.close()}
        >
          Close
        </button>
      </div>
      {open && children}
    </dialog>
  );
}
