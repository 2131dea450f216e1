// Mantine's password input, with its show/hide button named without the word "password", so
// that the field's label alone finds the field (getByLabel('Password') in browser tests).
import { PasswordInput, type PasswordInputProps } from '@mantine/core';

export function PasswordField(props: PasswordInputProps) {
  return (
    <PasswordInput visibilityToggleButtonProps={{ 'aria-label': 'Show or hide the characters' }} {...props} />
  );
}
