// Sign up: a developer, and the organization's account they own; then a verification e-mail.
import { Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { PasswordField } from '../../../ui/PasswordField.tsx';
import { FormError } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import {
  FieldInputs,
  type FieldValues,
  fieldErrors,
  filledValues,
  useFields,
} from '../fields/customFields.tsx';
import { AuthCard } from './AuthCard.tsx';

export const minimumPasswordLength = 12;

export function SignUp() {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [organization, setOrganization] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [tooShort, setTooShort] = useState(false);
  // The provider's extra questions about the person and about the organization.
  const developerFields = useFields('developer');
  const accountFields = useFields('account');
  const [developerValues, setDeveloperValues] = useState<FieldValues>({});
  const [accountValues, setAccountValues] = useState<FieldValues>({});
  const signUp = useMutation({
    mutationFn: () =>
      api.post('/signup', {
        name,
        organization,
        email,
        password,
        developerFields: filledValues(developerValues),
        accountFields: filledValues(accountValues),
      }),
    onSuccess: () => navigate('/signup/check-email', { state: { email } }),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const short = password.length < minimumPasswordLength;
    setTooShort(short);
    if (!short) signUp.mutate();
  };

  return (
    <AuthCard
      title="Create your developer account"
      description="Register your organization to get API keys and subscribe to plans."
      footer={
        <>
          Already have an account?{' '}
          <Anchor component={Link} to="/signin">
            Sign in
          </Anchor>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Your name"
            autoComplete="name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <FieldInputs
            fields={developerFields}
            values={developerValues}
            onChange={setDeveloperValues}
            errors={fieldErrors(signUp.error, 'developerFields')}
          />
          <TextInput
            label="Organization"
            description="The account your applications belong to; teammates can join it later."
            autoComplete="organization"
            required
            value={organization}
            onChange={(e) => setOrganization(e.currentTarget.value)}
          />
          <FieldInputs
            fields={accountFields}
            values={accountValues}
            onChange={setAccountValues}
            errors={fieldErrors(signUp.error, 'accountFields')}
          />
          <TextInput
            label="E-mail"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordField
            label="Password"
            description={`At least ${minimumPasswordLength} characters.`}
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={tooShort ? `Use at least ${minimumPasswordLength} characters.` : undefined}
          />
          <FormError error={signUp.error} />
          <Button type="submit" loading={signUp.isPending}>
            Create account
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
