// Where traces go and how many are kept: flags over TURNPIKE_* over the standard OTEL_* variables.
import { describe, expect, it } from 'vitest';
import { SettingsError, SettingsReader } from '../../shared/config.ts';
import { resolveTracingSettings } from './settings.ts';

function resolve(flags: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  return resolveTracingSettings(new SettingsReader(flags, env), env);
}

describe('tracing settings', () => {
  it('traces nothing without an endpoint', () => {
    expect(resolve({}, { OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER_ARG: '0.5' })).toBeUndefined();
  });

  it('adds /v1/traces to a collector address, and keeps a URL that has a path', () => {
    expect(resolve({ 'otlp-endpoint': 'http://collector:4318' })).toEqual({
      endpoint: 'http://collector:4318/v1/traces',
      serviceName: 'turnpike-gateway',
      sampleRatio: 1,
    });
    expect(resolve({ 'otlp-endpoint': 'https://otel.example/custom/traces' })?.endpoint).toBe(
      'https://otel.example/custom/traces',
    );
  });

  it('prefers the flag, then TURNPIKE_OTLP_ENDPOINT, then the OTEL_* variables', () => {
    const env = {
      TURNPIKE_OTLP_ENDPOINT: 'http://turnpike-env:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/v1/traces',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318',
    };
    expect(resolve({ 'otlp-endpoint': 'http://flag:4318' }, env)?.endpoint).toBe(
      'http://flag:4318/v1/traces',
    );
    expect(resolve({}, env)?.endpoint).toBe('http://turnpike-env:4318/v1/traces');
    const { TURNPIKE_OTLP_ENDPOINT: _, ...standard } = env;
    expect(resolve({}, standard)?.endpoint).toBe('http://traces:4318/v1/traces');
  });

  it('appends the signal path to OTEL_EXPORTER_OTLP_ENDPOINT, base path included', () => {
    expect(resolve({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318' })?.endpoint).toBe(
      'http://base:4318/v1/traces',
    );
    expect(resolve({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318/otlp/' })?.endpoint).toBe(
      'http://base:4318/otlp/v1/traces',
    );
  });

  it('takes the service name and the sample ratio from the standard variables', () => {
    const env = { OTEL_SERVICE_NAME: 'edge-gateway', OTEL_TRACES_SAMPLER_ARG: '0.25' };
    expect(resolve({ 'otlp-endpoint': 'http://c:4318' }, env)).toMatchObject({
      serviceName: 'edge-gateway',
      sampleRatio: 0.25,
    });
    expect(resolve({ 'otlp-endpoint': 'http://c:4318', 'trace-sample-ratio': '0' }, env)?.sampleRatio).toBe(
      0,
    );
  });

  it('is off when OTEL_SDK_DISABLED is true', () => {
    expect(resolve({ 'otlp-endpoint': 'http://c:4318' }, { OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
  });

  it.each([
    [{ 'otlp-endpoint': 'collector:4318' }, {}, /^--otlp-endpoint must be an http/],
    [{}, { TURNPIKE_OTLP_ENDPOINT: 'grpc://c:4317' }, /^TURNPIKE_OTLP_ENDPOINT must be an http/],
    [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'nonsense' }, /^OTEL_EXPORTER_OTLP_ENDPOINT must be an http/],
    [{ 'otlp-endpoint': 'http://c', 'trace-sample-ratio': '1.5' }, {}, /^--trace-sample-ratio must be/],
    [{ 'otlp-endpoint': 'http://c' }, { OTEL_TRACES_SAMPLER_ARG: '-1' }, /^OTEL_TRACES_SAMPLER_ARG must be/],
  ])('refuses %o %o with a message naming the setting', (flags, env, message) => {
    expect(() => resolve(flags, env)).toThrow(SettingsError);
    expect(() => resolve(flags, env)).toThrow(message);
  });
});
