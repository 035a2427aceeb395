import { createHash, createPublicKey, sign as edSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand, type SigningAlgorithmSpec } from '@aws-sdk/client-kms';

/** How a detached signature was made; recorded in signature.json so verification needs nothing else. */
export type SignatureScheme = 'ed25519' | 'ecdsa-p256-sha256' | 'rsa-pkcs1-sha256';

export interface DetachedSigner {
  scheme: SignatureScheme;
  /** Key file fingerprint or KMS key ARN. */
  keyId: string;
  publicKeyPem: string;
  sign(data: Buffer): Promise<Buffer>;
}

/** SHA-256 fingerprint of the public key (DER SubjectPublicKeyInfo), as `SHA256:<hex>`. */
export function keyFingerprint(publicKey: KeyObject): string {
  return `SHA256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex')}`;
}

/** A local Ed25519 key (`auditpack keys generate`): PureEdDSA over the whole file, no size limit. */
export function ed25519Signer(privateKey: KeyObject): DetachedSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 private key, got ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  const publicKey = createPublicKey(privateKey);
  return {
    scheme: 'ed25519',
    keyId: keyFingerprint(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: async (data) => edSign(null, data, privateKey),
  };
}

/** KMS accepts at most 4096 bytes with MessageType RAW; larger files are signed as their SHA-256 digest. */
export const KMS_RAW_LIMIT = 4096;

const KMS_ALGORITHMS: Record<string, { scheme: SignatureScheme; algorithm: SigningAlgorithmSpec }> = {
  ECC_NIST_P256: { scheme: 'ecdsa-p256-sha256', algorithm: 'ECDSA_SHA_256' },
  RSA_2048: { scheme: 'rsa-pkcs1-sha256', algorithm: 'RSASSA_PKCS1_V1_5_SHA_256' },
  RSA_3072: { scheme: 'rsa-pkcs1-sha256', algorithm: 'RSASSA_PKCS1_V1_5_SHA_256' },
  RSA_4096: { scheme: 'rsa-pkcs1-sha256', algorithm: 'RSASSA_PKCS1_V1_5_SHA_256' },
};

/**
 * An AWS KMS asymmetric SIGN_VERIFY key. The signature is the standard one for the algorithm (DER ECDSA or PKCS#1
 * v1.5 over SHA-256 of the file), so `openssl dgst -sha256 -verify` checks it against the file itself.
 */
export async function kmsSigner(client: KMSClient, keyId: string): Promise<DetachedSigner> {
  const key = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  // moto (and older KMS responses) fill only the deprecated CustomerMasterKeySpec.
  const spec = key.KeySpec ?? key.CustomerMasterKeySpec ?? '';
  const choice = KMS_ALGORITHMS[spec];
  if (!choice || key.KeyUsage !== 'SIGN_VERIFY' || !key.PublicKey) {
    throw new Error(`KMS key ${keyId} must be an asymmetric SIGN_VERIFY key of spec ECC_NIST_P256 or RSA_2048/3072/4096 (got ${spec || 'unknown'} ${key.KeyUsage ?? ''})`);
  }
  const publicKey = createPublicKey({ key: Buffer.from(key.PublicKey), format: 'der', type: 'spki' });
  return {
    scheme: choice.scheme,
    keyId: key.KeyId?.startsWith('arn:') ? key.KeyId : keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    async sign(data) {
      const raw = data.length <= KMS_RAW_LIMIT;
      const response = await client.send(
        new SignCommand({
          KeyId: keyId,
          SigningAlgorithm: choice.algorithm,
          MessageType: raw ? 'RAW' : 'DIGEST',
          Message: raw ? data : createHash('sha256').update(data).digest(),
        }),
      );
      if (!response.Signature) throw new Error(`KMS Sign returned no signature for key ${keyId}`);
      return Buffer.from(response.Signature);
    },
  };
}

/** Verifies a detached signature of any supported scheme with node:crypto. */
export function verifyDetached(scheme: SignatureScheme, publicKeyPem: string, data: Buffer, signature: Buffer): boolean {
  const publicKey = createPublicKey(publicKeyPem);
  try {
    if (scheme === 'ed25519') return nodeVerify(null, data, publicKey, signature);
    return nodeVerify('sha256', data, publicKey, signature);
  } catch {
    return false;
  }
}
