import { constants, createHash, generateKeyPairSync, privateEncrypt, sign } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { KMS_RAW_LIMIT, kmsSigner, verifyDetached } from '../../../src/sign/signer.js';

/**
 * moto gap: KMS Sign with MessageType DIGEST gives wrong signatures in moto 5.2.1, so the path real AWS needs for
 * files over 4096 bytes is checked here with a narrow fake KMS that signs like AWS does (ECDSA over the digest).
 */
describe('moto gap: KMS Sign with MessageType DIGEST for files over 4 KB', () => {
  it('sends the SHA-256 digest with MessageType DIGEST and the signature verifies over the whole file', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2): PKCS#1 v1.5 signing of a precomputed digest.
    const digestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex');
    const requests: Record<string, unknown>[] = [];
    const fake = {
      send: async (command: GetPublicKeyCommand | SignCommand) => {
        if (command instanceof GetPublicKeyCommand) {
          return { KeyId: 'arn:aws:kms:us-east-1:123456789012:key/k', KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', PublicKey: publicKey.export({ type: 'spki', format: 'der' }) };
        }
        requests.push(command.input as unknown as Record<string, unknown>);
        const input = command.input;
        const digest = Buffer.from(input.Message as Uint8Array);
        // What KMS returns for MessageType DIGEST: the PKCS#1 v1.5 signature of the given digest.
        const signature =
          input.MessageType === 'DIGEST' ? privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([digestInfo, digest])) : sign('sha256', digest, privateKey);
        return { Signature: signature };
      },
    } as unknown as KMSClient;
    const signer = await kmsSigner(fake, 'arn:aws:kms:us-east-1:123456789012:key/k');
    const big = Buffer.alloc(KMS_RAW_LIMIT + 1, 'a');
    const signature = await signer.sign(big);
    expect(requests[0]).toMatchObject({ MessageType: 'DIGEST', SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' });
    expect(Buffer.from(requests[0]!.Message as Uint8Array).equals(createHash('sha256').update(big).digest())).toBe(true);
    expect(verifyDetached('rsa-pkcs1-sha256', signer.publicKeyPem, big, signature)).toBe(true);
    await signer.sign(Buffer.from('small'));
    expect(requests[1]).toMatchObject({ MessageType: 'RAW' });
  });
});
