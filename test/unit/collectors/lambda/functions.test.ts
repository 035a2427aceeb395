import { describe, expect, it } from 'vitest';
import { lambdaFunctions } from '../../../../collectors/lambda/functions.js';
import { fakeClients } from '../../../helpers/fake-clients.js';

describe('lambda.functions', () => {
  it('keeps variable names and verdicts, and redacts every value in raw', async () => {
    const { ctx } = fakeClients({
      ListFunctions: {
        Functions: [
          { FunctionName: 'f', FunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:f', Runtime: 'nodejs20.x', KMSKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/k', Environment: { Variables: { API_TOKEN: 'tok-123', MODE: 'prod' } } },
          { FunctionName: 'g', FunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:g', PackageType: 'Image' },
        ],
      },
    });
    const out = await lambdaFunctions.collect(ctx);
    expect(out.resources[0]).toMatchObject({
      environmentVariables: [
        { name: 'API_TOKEN', looksSecret: true, reasons: ['secret-name'] },
        { name: 'MODE', looksSecret: false, reasons: [] },
      ],
      secretLookingVariables: ['API_TOKEN'],
      environmentEncryptedWithCmk: true,
    });
    expect(out.resources[1]).toMatchObject({ environmentVariables: [], runtime: null, packageType: 'Image', kmsKeyArn: null });
    const json = JSON.stringify(out);
    expect(json).not.toContain('tok-123');
    expect(json).not.toContain('"prod"');
    expect(json).toContain('"API_TOKEN":"<redacted>"');
  });
});
