'use client';

import { useRef, useState } from 'react';
import { ModalDialog } from '../../ui/modal-dialog';
import type { BoardMission } from './board-model';
import { CreateMissionForm } from './create-mission-form';

/** "+ New mission": the full form, in a dialog, so the board itself starts under the header. */
export function NewMissionButton({
  workspaceId,
  onCreated,
}: {
  workspaceId: string;
  onCreated: (mission: BoardMission) => void;
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={button}
        type="button"
        className="button button-primary"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        <span aria-hidden="true">+</span> New mission
      </button>
      <ModalDialog
        open={open}
        title="New mission"
        onClose={() => setOpen(false)}
        returnFocus={button}
      >
        <CreateMissionForm
          workspaceId={workspaceId}
          onCancel={() => setOpen(false)}
          onCreated={(mission) => {
            setOpen(false);
            onCreated(mission);
          }}
        />
      </ModalDialog>
    </>
  );
}
