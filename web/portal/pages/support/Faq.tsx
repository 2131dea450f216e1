// Frequently asked questions: each FAQ page a question that opens to its answer, read when
// first opened.
import { Accordion, Anchor, Stack } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { Markdown } from '../../../ui/Markdown.tsx';
import { Empty, QueryView } from '../../../ui/states.tsx';
import { product } from '../../session.tsx';
import { pagePath, usePage, usePages } from './content.ts';

export function Faq() {
  usePageTitle('Frequently asked questions', product);
  const questions = usePages('faq');
  const [open, setOpen] = useState<string[]>([]);
  return (
    <>
      <PageHeader title="Frequently asked questions" description="Quick answers to common questions." />
      <QueryView query={questions} loadingLabel="Loading questions…">
        {(items) =>
          items.length === 0 ? (
            <Empty title="No questions yet" description="Ask yours on the Contact page." />
          ) : (
            <Accordion
              multiple
              variant="separated"
              order={2}
              value={open}
              onChange={setOpen}
              // The page's own background (a branded one, too) instead of Mantine's light grey.
              styles={{
                item: {
                  backgroundColor: 'var(--mantine-color-body)',
                  border: '1px solid var(--mantine-color-default-border)',
                },
              }}
            >
              {items.map((question) => (
                <Accordion.Item key={question.slug} value={question.slug}>
                  <Accordion.Control>{question.title}</Accordion.Control>
                  <Accordion.Panel>
                    {open.includes(question.slug) && <Answer slug={question.slug} />}
                  </Accordion.Panel>
                </Accordion.Item>
              ))}
            </Accordion>
          )
        }
      </QueryView>
    </>
  );
}

function Answer({ slug }: { slug: string }) {
  const page = usePage(slug);
  return (
    <QueryView query={page} loadingLabel="Loading the answer…">
      {(answer) => (
        <Stack gap="xs">
          <Markdown source={answer.body} />
          <Anchor component={Link} to={pagePath(answer)} size="sm" w="fit-content">
            Link to this answer<span className="visually-hidden">: {answer.title}</span>
          </Anchor>
        </Stack>
      )}
    </QueryView>
  );
}
