// User story: "A partner's systems cannot send API keys: their webhook sender speaks HTTP Basic
// and their warehouse robots present client certificates. I register a generated password and
// their certificates for their application; the gateway lets those in as that application, keeps
// the password from my upstream, refuses a wrong password or a stranger's certificate, and stops
// a revoked password at once. On one API I also insist that certificates come from our CA.
// Their reporting job signs its requests with HMAC, as it did behind Kong: a secret I generate
// for it lets signed requests in, and a tampered or replayed request is refused."
// One `turnpike start` with HTTPS asking for client certificates; real HTTP and TLS clients.
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBasicPassword } from '../../src/shared/secrets.ts';
import { AdminClient, provisionPlan } from '../support/admin-client.ts';
import { type RunningTurnpike, removeDir, startTurnpike, tempDir } from '../support/cli.ts';
import { expectProblem, type RawResponse, readResponse, send, within } from '../support/http.ts';

interface Pem {
  cert: string;
  key: string;
}

/** Throwaway EC certificates made with `openssl` in `dir`. */
function certificates(dir: string) {
  const file = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const read = (name: string): Pem => ({
    cert: readFileSync(file(`${name}.crt`), 'utf8'),
    key: readFileSync(file(`${name}.key`), 'utf8'),
  });
  const selfSigned = (name: string, extensions: string[]) => {
    const args = ['req', '-x509', ...ec, '-keyout', file(`${name}.key`), '-out', file(`${name}.crt`)];
    args.push('-days', '1', '-subj', `/CN=${name}`, ...extensions.flatMap((e) => ['-addext', e]));
    execFileSync('openssl', args, { stdio: 'ignore' });
    return read(name);
  };
  const authority = (name: string) =>
    selfSigned(name, ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign']);
  const issuedBy = (name: string, ca: string) => {
    const csr = file(`${name}.csr`);
    execFileSync(
      'openssl',
      ['req', '-new', ...ec, '-keyout', file(`${name}.key`), '-out', csr, '-subj', `/CN=${name}`],
      {
        stdio: 'ignore',
      },
    );
    writeFileSync(file(`${name}.ext`), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
    execFileSync(
      'openssl',
      [
        ...['x509', '-req', '-in', csr, '-CA', file(`${ca}.crt`), '-CAkey', file(`${ca}.key`)],
        ...['-set_serial', '1', '-days', '1', '-extfile', file(`${name}.ext`), '-out', file(`${name}.crt`)],
      ],
      { stdio: 'ignore' },
    );
    return read(name);
  };
  return {
    server: selfSigned('server', ['subjectAltName=IP:127.0.0.1,DNS:localhost']),
    clientsCa: authority('clients-ca'),
    otherCa: authority('other-ca'),
    issuedBy,
    selfSigned: (name: string) => selfSigned(name, []),
    file,
  };
}

describe('Basic, mutual-TLS and HMAC credentials', () => {
  let dir: string;
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let https = '';
  let serverCa = '';
  let applicationId = '';
  const certs = {} as Record<'robot' | 'rogue' | 'stranger', Pem>;
  let basic = { id: '', username: '', password: '' };

  const credentialsPath = () => `/applications/${applicationId}/credentials`;
  const authorization = (username: string, password: string) => ({
    authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
  });
  const ledger = (headers: Record<string, string> = {}) =>
    send(`${tp.gateway}/ledger/v1/entries`, { headers });

  /** GET over HTTPS on a new connection, presenting `client` when given. */
  function secureGet(path: string, client?: Pem, headers: Record<string, string> = {}): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${https}${path}`,
        { ca: serverCa, ...(client && { cert: client.cert, key: client.key }), headers, agent: false },
        (res) => readResponse(res).then(resolve, reject),
      );
      req.on('error', reject);
      req.end();
    });
  }

  beforeAll(async () => {
    dir = tempDir('turnpike-credentials-');
    const made = certificates(dir);
    serverCa = made.server.cert;
    certs.robot = made.issuedBy('robot', 'clients-ca');
    certs.rogue = made.issuedBy('rogue', 'other-ca');
    certs.stranger = made.selfSigned('stranger');

    tp = await startTurnpike({
      args: [
        ...['--tls-cert', made.file('server.crt'), '--tls-key', made.file('server.key')],
        ...['--tls-host', '127.0.0.1', '--tls-port', '0', '--tls-client-ca', made.file('clients-ca.crt')],
      ],
    });
    https = /^ {2}https +(https:\/\/\S+)/m.exec(tp.output())?.[1] ?? '';
    expect(https, tp.output()).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    admin = new AdminClient(tp.admin, tp.token);

    const upstream = await admin.create('/upstreams', {
      name: 'echo',
      targets: [{ url: `${tp.status}/echo` }],
    });
    // The ledger takes either credential; the vault only certificates from our clients' CA.
    const ledgerApi = await admin.create('/apis', {
      name: 'ledger',
      basePath: '/ledger/v1',
      upstreamId: upstream.id,
    });
    await admin.create(`/apis/${ledgerApi.id}/routes`, {
      name: 'entries',
      methods: ['GET'],
      path: '/entries',
    });
    await admin.create('/policies', { name: 'basic-auth', apiId: ledgerApi.id, config: {} });
    await admin.create('/policies', { name: 'mtls-auth', apiId: ledgerApi.id, config: {} });
    const vaultApi = await admin.create('/apis', {
      name: 'vault',
      basePath: '/vault/v1',
      upstreamId: upstream.id,
    });
    await admin.create(`/apis/${vaultApi.id}/routes`, {
      name: 'secrets',
      methods: ['GET'],
      path: '/secrets',
    });
    await admin.create('/policies', {
      name: 'mtls-auth',
      apiId: vaultApi.id,
      config: { requireTrustedCa: true },
    });
    // Reports take HMAC signatures only.
    const reportsApi = await admin.create('/apis', {
      name: 'reports',
      basePath: '/reports/v1',
      upstreamId: upstream.id,
    });
    await admin.create(`/apis/${reportsApi.id}/routes`, {
      name: 'monthly',
      methods: ['GET'],
      path: '/monthly',
    });
    await admin.create('/policies', { name: 'hmac-auth', apiId: reportsApi.id, config: {} });

    const planId = await provisionPlan(admin, 'partners', [ledgerApi.id, vaultApi.id, reportsApi.id]);
    const account = await admin.create('/accounts', { name: 'partner' });
    applicationId = (await admin.create('/applications', { accountId: account.id, name: 'partner-app' })).id;
    await admin.create('/subscriptions', { applicationId, planId });
  });

  afterAll(async () => {
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
    if (dir) removeDir(dir);
  });

  it('shows a generated tpb_ password once, with a username', async () => {
    const created = await admin.call('POST', credentialsPath(), { kind: 'basic', label: 'webhooks' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ kind: 'basic', applicationId, label: 'webhooks', status: 'active' });
    expect(created.body.password).toMatch(/^tpb_[0-9A-Za-z]{36}$/);
    expect(created.body.username).toEqual(expect.any(String));
    basic = { id: created.body.id, username: created.body.username, password: created.body.password };

    const listed = await admin.call('GET', credentialsPath());
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(basic.password);
  });

  it('lets Basic credentials in as the application, and keeps them from the upstream', async () => {
    const response = await ledger(authorization(basic.username, basic.password));
    expect(response.status, response.text).toBe(200);
    const upstreamSaw = response.json().headers;
    expect(upstreamSaw['x-consumer-application']).toBe(applicationId);
    expect(upstreamSaw.authorization).toBeUndefined();
  });

  it('refuses a wrong password and an unknown username alike, with 401 credentials-invalid', async () => {
    const wrong = expectProblem(
      await ledger(authorization(basic.username, generateBasicPassword())),
      401,
      'credentials-invalid',
    );
    const unknown = expectProblem(
      await ledger(authorization('nobody', basic.password)),
      401,
      'credentials-invalid',
    );
    expect(unknown.detail).toBe(wrong.detail);
    const malformed = await ledger(authorization(basic.username, 'hunter2'));
    expectProblem(malformed, 401, 'credentials-invalid');
    expect(malformed.headers['www-authenticate']).toBe('Basic realm="turnpike", charset="UTF-8"');
  });

  it('asks for either credential when a request carries neither', async () => {
    for (const response of [await ledger(), await secureGet('/ledger/v1/entries')]) {
      const problem = expectProblem(response, 401, 'credential-missing');
      expect(problem.detail).toBe(
        'Send a client certificate on the HTTPS port or a username and password (HTTP Basic).',
      );
      expect(response.headers['www-authenticate']).toBe(
        'ClientCertificate realm="turnpike", Basic realm="turnpike", charset="UTF-8"',
      );
    }
  });

  it('lets a registered client certificate in as the application over HTTPS', async () => {
    const created = await admin.call('POST', credentialsPath(), {
      kind: 'mtls',
      certificate: certs.robot.cert,
      label: 'robot',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ kind: 'mtls', subject: 'CN=robot', status: 'active' });
    expect(created.body.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(created.body.password).toBeUndefined();

    const response = await secureGet('/ledger/v1/entries', certs.robot);
    expect(response.status, response.text).toBe(200);
    expect(response.json().headers['x-consumer-application']).toBe(applicationId);
  });

  it('refuses a certificate nobody registered with 401 certificate-invalid', async () => {
    const response = await secureGet('/ledger/v1/entries', certs.stranger);
    expectProblem(response, 401, 'certificate-invalid');
    expect(response.headers['www-authenticate']).toBe('ClientCertificate realm="turnpike"');
    // Still refused when Basic credentials that would pass come along: a bad credential is never ignored.
    const both = await secureGet(
      '/ledger/v1/entries',
      certs.stranger,
      authorization(basic.username, basic.password),
    );
    expectProblem(both, 401, 'certificate-invalid');
  });

  it('accepts a registered certificate from another CA by fingerprint, except where our CA is required', async () => {
    const fingerprint = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], {
      input: certs.rogue.cert,
      encoding: 'utf8',
    })
      .trim()
      .split('=')[1];
    await admin.create(credentialsPath(), { kind: 'mtls', fingerprint, label: 'rogue' });

    expect((await secureGet('/ledger/v1/entries', certs.rogue)).status).toBe(200);
    const refused = expectProblem(
      await secureGet('/vault/v1/secrets', certs.rogue),
      401,
      'certificate-invalid',
    );
    expect(refused.detail).toMatch(/does not chain/);
    const robot = await secureGet('/vault/v1/secrets', certs.robot);
    expect(robot.status, robot.text).toBe(200);
    expect(robot.json().headers['x-consumer-application']).toBe(applicationId);
  });

  it('asks for a certificate on the plain HTTP port of a certificate-only API', async () => {
    const response = await send(`${tp.gateway}/vault/v1/secrets`);
    expectProblem(response, 401, 'credential-missing');
    expect(response.headers['www-authenticate']).toBe('ClientCertificate realm="turnpike"');
  });

  it('stops a revoked password within a second', async () => {
    const revoked = await admin.call('POST', `${credentialsPath()}/${basic.id}/revoke`);
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    await within(
      1000,
      async () => (await ledger(authorization(basic.username, basic.password))).status === 401,
    );
    expectProblem(await ledger(authorization(basic.username, basic.password)), 401, 'credentials-invalid');
    // The certificates of the same application keep working.
    expect((await secureGet('/ledger/v1/entries', certs.robot)).status).toBe(200);
  });

  describe('HMAC signatures', () => {
    let hmac = { id: '', username: '', secret: '' };
    const target = '/reports/v1/monthly?month=2026-11';
    const challenge = 'hmac realm="turnpike", headers="@request-target date"';

    /** Headers a Kong hmac-auth client sends: a date, and a signature of the target and that date. */
    function signature(path: string, secret: string, date = new Date()): Record<string, string> {
      const sent = date.toUTCString();
      const signingString = `@request-target: get ${path}\ndate: ${sent}`;
      const signed = createHmac('sha256', secret).update(signingString).digest('base64');
      return {
        date: sent,
        authorization: `hmac username="${hmac.username}", algorithm="hmac-sha256", headers="@request-target date", signature="${signed}"`,
      };
    }
    const reports = (headers: Record<string, string> = {}, path = target) =>
      send(`${tp.gateway}${path}`, { headers });

    it('shows a generated tph_ secret once, with a username to sign as', async () => {
      const created = await admin.call('POST', credentialsPath(), { kind: 'hmac', label: 'reporting job' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        kind: 'hmac',
        applicationId,
        label: 'reporting job',
        status: 'active',
      });
      expect(created.body.secret).toMatch(/^tph_[0-9A-Za-z]{36}$/);
      expect(created.body.username).toEqual(expect.any(String));
      hmac = { id: created.body.id, username: created.body.username, secret: created.body.secret };

      const listed = await admin.call('GET', credentialsPath());
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).not.toContain(hmac.secret);
    });

    it('lets a signed request in as the application, and keeps the signature from the upstream', async () => {
      const response = await reports(signature(target, hmac.secret));
      expect(response.status, response.text).toBe(200);
      const upstreamSaw = response.json();
      expect(upstreamSaw.headers['x-consumer-application']).toBe(applicationId);
      expect(upstreamSaw.headers.authorization).toBeUndefined();
      expect(upstreamSaw.query).toEqual({ month: '2026-11' });
    });

    it('asks for a signature when a request carries none', async () => {
      const response = await reports();
      expectProblem(response, 401, 'credential-missing');
      expect(response.headers['www-authenticate']).toBe(challenge);
    });

    it('refuses a tampered signature, or a signature of another query, with 401 signature-invalid', async () => {
      const headers = signature(target, hmac.secret);
      const flipped = headers.authorization?.replace(
        /signature="(.)/,
        (_, c: string) => `signature="${c === 'A' ? 'B' : 'A'}`,
      );
      const tampered = await reports({ ...headers, authorization: flipped ?? '' });
      const refused = expectProblem(tampered, 401, 'signature-invalid');
      expect(tampered.headers['www-authenticate']).toBe(challenge);
      const otherMonth = expectProblem(
        await reports(headers, '/reports/v1/monthly?month=2026-12'),
        401,
        'signature-invalid',
      );
      expect(otherMonth.detail).toBe(refused.detail);
    });

    it('refuses a correctly signed request dated ten minutes ago', async () => {
      const stale = signature(target, hmac.secret, new Date(Date.now() - 10 * 60_000));
      const refused = expectProblem(await reports(stale), 401, 'signature-invalid');
      expect(refused.detail).toMatch(/within 300 seconds/);
    });

    it('stops a revoked secret within a second', async () => {
      const revoked = await admin.call('POST', `${credentialsPath()}/${hmac.id}/revoke`);
      expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
      expect(revoked.body.status).toBe('revoked');
      await within(1000, async () => (await reports(signature(target, hmac.secret))).status === 401);
      expectProblem(await reports(signature(target, hmac.secret)), 401, 'signature-invalid');
    });
  });
});
