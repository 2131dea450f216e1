// Mail settings from flags and the environment: the defaults, flags over variables, and refusals
// that name the setting without repeating an SMTP URL (it may carry the password).
import { describe, expect, it } from 'vitest';
import { resolveSettings, SettingsError } from './config.ts';

const refusal = (flags: Record<string, string>, env: NodeJS.ProcessEnv = {}): SettingsError => {
  try {
    resolveSettings(flags, env);
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error('the settings were accepted');
};

describe('mail settings', () => {
  it('default to the outbox and Turnpike <no-reply@localhost>', () => {
    expect(resolveSettings({}, {}).mail).toEqual({
      smtpUrl: undefined,
      from: 'Turnpike <no-reply@localhost>',
    });
  });

  it('come from TURNPIKE_SMTP_URL and TURNPIKE_MAIL_FROM, and flags win', () => {
    const env = {
      TURNPIKE_SMTP_URL: 'smtps://u:p@mail.example.com:465',
      TURNPIKE_MAIL_FROM: 'a@example.com',
    };
    expect(resolveSettings({}, env).mail).toEqual({
      smtpUrl: 'smtps://u:p@mail.example.com:465',
      from: 'a@example.com',
    });
    expect(
      resolveSettings({ 'smtp-url': 'smtp://127.0.0.1:2525', 'mail-from': 'API Team <api@example.com>' }, env)
        .mail,
    ).toEqual({ smtpUrl: 'smtp://127.0.0.1:2525', from: 'API Team <api@example.com>' });
  });

  it('refuse a URL that is not smtp:// or smtps://, without repeating it', () => {
    for (const url of ['http://user:hunter2@mail.example.com', 'smtp:hunter2', 'mail.example.com:587']) {
      const flag = refusal({ 'smtp-url': url });
      expect([flag.message, flag.fromFlag]).toEqual([
        '--smtp-url must be an smtp:// or smtps:// URL with a host',
        true,
      ]);
      const variable = refusal({}, { TURNPIKE_SMTP_URL: url });
      expect([variable.message, variable.fromFlag]).toEqual([
        'TURNPIKE_SMTP_URL must be an smtp:// or smtps:// URL with a host',
        false,
      ]);
    }
  });

  it('refuse a From that is not an address', () => {
    for (const from of ['Turnpike', 'Turnpike <nobody>', 'a@b\r\nBcc: c@d', 'x <a@b> y']) {
      expect(refusal({ 'mail-from': from }).message).toMatch(/^--mail-from must be an address such as/);
    }
  });
});
