// Mantine's modal, made quieter for assistive technology: its header is a plain div (a
// <header> there reads as a second banner landmark) and its close button has a name.
import { Modal, type ModalRootProps } from '@mantine/core';
import type { ReactNode } from 'react';

/** Mantine types the header as a <header>; it renders any element it is given. */
const plainHeader = { component: 'div' } as Record<string, unknown>;

export function Dialog({
  opened,
  onClose,
  title,
  size,
  centered,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: ReactNode;
  size?: ModalRootProps['size'];
  centered?: boolean;
  children: ReactNode;
}) {
  return (
    <Modal.Root opened={opened} onClose={onClose} size={size} centered={centered}>
      <Modal.Overlay />
      <Modal.Content>
        <Modal.Header {...plainHeader}>
          <Modal.Title>{title}</Modal.Title>
          <Modal.CloseButton aria-label="Close" />
        </Modal.Header>
        <Modal.Body>{children}</Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
}
