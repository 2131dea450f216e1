// The call in the try-it form as code to paste: one tab per language, each with a copy button.
import { Button, Code, CopyButton, Group, Tabs, Text, Title } from '@mantine/core';
import { codeSamples, gatewayPlaceholder, type SampleRequest } from './code-samples.ts';

export function CodeSamples({ request }: { request: SampleRequest }) {
  const samples = codeSamples(request);
  return (
    <section aria-labelledby="code-samples">
      <Title order={2} id="code-samples" fz="xl" mb="xs">
        Code samples
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        The call in the Try it form, {request.method} <Code>{request.path || '/'}</Code>, as code. Pick an
        operation above or change the form to change them; replace <Code>{'{placeholders}'}</Code> in the
        path.
        {request.apiKey?.trim()
          ? ' They carry the key you typed: keep them out of shared code.'
          : ' Put your key in place of YOUR_API_KEY.'}
        {request.baseUrl.startsWith(gatewayPlaceholder) &&
          ' Replace YOUR_GATEWAY_HOST with the address of the gateway.'}
      </Text>
      <Tabs defaultValue="curl" keepMounted={false}>
        <Tabs.List aria-label="Language">
          {samples.map((sample) => (
            <Tabs.Tab key={sample.language} value={sample.language}>
              {sample.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {samples.map((sample) => (
          <Tabs.Panel key={sample.language} value={sample.language} pt="sm">
            <Group justify="flex-end" mb="xs">
              <CopyButton value={sample.code} timeout={2000}>
                {({ copied, copy }) => (
                  <>
                    <span role="status" className="visually-hidden">
                      {copied ? `Copied the ${sample.label} sample` : ''}
                    </span>
                    <Button
                      size="xs"
                      variant={copied ? 'filled' : 'default'}
                      color={copied ? 'teal' : undefined}
                      onClick={copy}
                      aria-label={`${copied ? 'Copied' : 'Copy'} the ${sample.label} sample`}
                    >
                      {copied ? 'Copied' : 'Copy'}
                    </Button>
                  </>
                )}
              </CopyButton>
            </Group>
            <Code block>{sample.code}</Code>
          </Tabs.Panel>
        ))}
      </Tabs>
    </section>
  );
}
