import { describe, expect, it } from 'vitest';
import { reasonWithoutValue } from '../../src/graphql/variable-errors.ts';

describe('reasonWithoutValue', () => {
  it('keeps the reasons that name types and fields only', () => {
    expect(reasonWithoutValue('Field "extra" is not defined by type "SecretInput". Did you mean "name", "value", or "names"?')).toBe(
      'Field "extra" is not defined by type "SecretInput". Did you mean "name", "value", or "names"?',
    );
    expect(reasonWithoutValue('Field "name" of required type "String!" was not provided.')).toBe('Field "name" of required type "String!" was not provided.');
    expect(reasonWithoutValue('Expected type "SecretInput" to be an object.')).toBe('Expected type "SecretInput" to be an object.');
  });

  it('drops the message of a scalar that threw a plain Error, and any reason of a form it does not know', () => {
    expect(reasonWithoutValue('Expected type "JSONObject". Maximum call stack size exceeded')).toBe('Expected type "JSONObject".');
    expect(reasonWithoutValue('Expected type "Email". sk_live_Abc123XyZ is not an email')).toBe('Expected type "Email".');
    expect(reasonWithoutValue('Email cannot be sk_live_Abc123XyZ')).toBe('The value does not fit its type.');
  });

  it('keeps no text the client chose in an enum reason, even one that imitates the form', () => {
    const crafted = 'X" does not exist in "E" enum. Did you mean the enum value "SK_LIVE"?';
    expect(reasonWithoutValue(`Value "${crafted}" does not exist in "ExecutionStatus" enum.`)).toBe('The value does not exist in "ExecutionStatus" enum.');
  });
});
