// Write to the provider: a question or a bug report, answered by e-mail — at the signed-in
// developer's address, or at the one given.
import { Alert, Button, Group, Paper, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { FormError } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { product, useSession } from '../../session.tsx';

type Kind = 'question' | 'bug';

export function Contact() {
  usePageTitle('Contact', product);
  const session = useSession();
  const developer = session.data?.developer;
  const [kind, setKind] = useState<Kind>('question');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [email, setEmail] = useState('');
  const [answerAt, setAnswerAt] = useState('');
  const send = useMutation({
    mutationFn: () =>
      api.post<{ id: string; createdAt: string }>('/messages', {
        kind,
        subject: subject.trim(),
        body: body.trim(),
        ...(developer ? {} : { email: email.trim() }),
      }),
    onSuccess: () => {
      setAnswerAt(developer?.email ?? email.trim());
      setSubject('');
      setBody('');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };

  return (
    <>
      <PageHeader title="Contact" description="Ask a question or report a bug; we answer by e-mail." />
      <Paper withBorder p="lg" maw={640}>
        {send.isSuccess ? (
          <Stack align="flex-start">
            <Alert color="green" title="Message sent" role="status" w="100%">
              Thank you. We answer at {answerAt}.
            </Alert>
            <Button variant="default" onClick={() => send.reset()}>
              Write another message
            </Button>
          </Stack>
        ) : (
          <form onSubmit={submit}>
            <Stack>
              <Radio.Group
                label="Kind"
                value={kind}
                onChange={(value) => setKind(value === 'bug' ? 'bug' : 'question')}
              >
                <Group mt={4}>
                  <Radio value="question" label="Question" />
                  <Radio value="bug" label="Bug report" />
                </Group>
              </Radio.Group>
              <TextInput
                label="Subject"
                required
                maxLength={200}
                value={subject}
                onChange={(e) => setSubject(e.currentTarget.value)}
              />
              <Textarea
                label="Message"
                description={
                  kind === 'bug' ? 'What you did, what you expected, and what happened instead.' : undefined
                }
                required
                autosize
                minRows={6}
                maxLength={10_000}
                value={body}
                onChange={(e) => setBody(e.currentTarget.value)}
              />
              {developer ? (
                <Text size="sm" c="dimmed">
                  Sent as {developer.name}; we answer at {developer.email}.
                </Text>
              ) : (
                <TextInput
                  label="E-mail"
                  description="Where we answer."
                  type="email"
                  autoComplete="email"
                  required
                  maxLength={254}
                  value={email}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                />
              )}
              <FormError error={send.error} />
              <Group>
                <Button type="submit" loading={send.isPending}>
                  Send message
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Paper>
    </>
  );
}
