import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** A local signing identity for the PDF report: a self-signed certificate and its key, packed as PKCS#12. */
export interface SigningIdentity {
  /** PKCS#12 (PFX) holding the RSA key and the certificate, encrypted with `passphrase` (AES-256, PBES2). */
  p12: Buffer;
  passphrase: string;
  certificatePem: string;
}

export interface SigningIdentityOptions {
  commonName: string;
  organisation: string;
  validDays: number;
  /** Start of validity; defaults to the current time. */
  now?: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A positive serial of 16 random bytes (RFC 5280 allows up to 20; the top bit is cleared so DER keeps it positive). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f | 0x01;
  return bytes.toString('hex');
}

/**
 * Creates an RSA-2048 key (node:crypto, which is far faster than forge's pure-JS generator) and a self-signed
 * X.509 certificate for it whose key usage allows document signing (digitalSignature + nonRepudiation).
 */
export function createSigningIdentity(options: SigningIdentityOptions): SigningIdentity {
  if (!(options.validDays > 0)) throw new Error(`validDays must be positive, got ${options.validDays}`);
  const { privateKey: privatePem } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const privateKey = forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);

  const now = options.now ?? new Date();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(now.getTime());
  cert.validity.notAfter = new Date(now.getTime() + options.validDays * DAY_MS);
  const name = [
    { name: 'commonName', value: options.commonName },
    { name: 'organizationName', value: options.organisation },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(privateKey, forge.md.sha256.create());

  const passphrase = randomBytes(24).toString('base64url');
  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(privateKey, [cert], passphrase, {
    algorithm: 'aes256',
    friendlyName: options.commonName,
    generateLocalKeyId: true,
  });
  const p12 = Buffer.from(forge.asn1.toDer(p12Asn1).getBytes(), 'binary');
  return { p12, passphrase, certificatePem: forge.pki.certificateToPem(cert) };
}
