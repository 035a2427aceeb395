import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { Signer } from '@signpdf/utils';
import { createHash, createPublicKey } from 'node:crypto';
import forge from 'node-forge';

/**
 * PDF signatures with an AWS KMS RSA key: the private key never leaves KMS. forge builds the CMS SignedData and
 * the self-signed certificate; the two things that need the key (the certificate's TBS and the CMS signed
 * attributes, both well under KMS's 4 KB RAW limit) are signed by KMS `Sign` with MessageType RAW.
 */

/** A forge OID by name (forge's table is typed as possibly missing). */
function oid(name: string): string {
  const value = forge.pki.oids[name];
  if (!value) throw new Error(`node-forge knows no OID named ${name}`);
  return value;
}

const pkiInternals = forge.pki as unknown as { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 };

type KmsRsaAlgorithm = 'RSASSA_PKCS1_V1_5_SHA_256';
const ALGORITHM: KmsRsaAlgorithm = 'RSASSA_PKCS1_V1_5_SHA_256';

async function kmsSignRaw(client: KMSClient, keyId: string, message: Buffer): Promise<string> {
  const response = await client.send(new SignCommand({ KeyId: keyId, SigningAlgorithm: ALGORITHM, MessageType: 'RAW', Message: message }));
  if (!response.Signature) throw new Error(`KMS Sign returned no signature for ${keyId}`);
  return Buffer.from(response.Signature).toString('binary');
}

/** A forge "private key" that hands back a signature made beforehand (forge's signing API is synchronous). */
function presigned(signature: string): forge.pki.rsa.PrivateKey {
  return { sign: () => signature } as unknown as forge.pki.rsa.PrivateKey;
}

/** A self-signed X.509 certificate for the KMS key, signed by KMS itself. */
export async function kmsCertificate(client: KMSClient, keyId: string, subject: { commonName: string; organisation: string; validDays: number; now: Date }): Promise<forge.pki.Certificate> {
  const key = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  const spec = key.KeySpec ?? key.CustomerMasterKeySpec ?? '';
  if (!key.PublicKey || !spec.startsWith('RSA_') || key.KeyUsage !== 'SIGN_VERIFY') throw new Error(`KMS key ${keyId} must be an RSA SIGN_VERIFY key to sign PDFs (got ${spec || 'unknown'})`);
  const pem = createPublicKey({ key: Buffer.from(key.PublicKey), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pem);
  // A positive serial derived from the key id, so the same key gives the same certificate fields.
  cert.serialNumber = `01${createHash('sha256').update(keyId).digest('hex').slice(0, 30)}`;
  cert.validity.notBefore = subject.now;
  cert.validity.notAfter = new Date(subject.now.getTime() + subject.validDays * 86_400_000);
  const attrs = [
    { name: 'commonName', value: subject.commonName },
    { name: 'organizationName', value: subject.organisation },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
  ]);
  // forge fills the signature algorithm before it serialises the TBS; set it first so our TBS is the one it signs.
  cert.siginfo.algorithmOid = oid('sha256WithRSAEncryption');
  (cert as unknown as { signatureOid: string }).signatureOid = oid('sha256WithRSAEncryption');
  const tbs = Buffer.from(forge.asn1.toDer(pkiInternals.getTBSCertificate(cert)).getBytes(), 'binary');
  cert.sign(presigned(await kmsSignRaw(client, keyId, tbs)), forge.md.sha256.create());
  return cert;
}

/** A @signpdf signer whose CMS signature comes from AWS KMS. */
export class KmsPdfSigner extends Signer {
  constructor(
    private readonly client: KMSClient,
    private readonly keyId: string,
    private readonly certificate: forge.pki.Certificate,
  ) {
    super();
  }

  private build(pdf: Buffer, signingTime: Date, key: forge.pki.rsa.PrivateKey): forge.pkcs7.PkcsSignedData {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdf.toString('binary'));
    p7.addCertificate(this.certificate);
    p7.addSigner({
      key,
      certificate: this.certificate,
      digestAlgorithm: oid('sha256'),
      authenticatedAttributes: [
        { type: oid('contentType'), value: oid('data') },
        { type: oid('signingTime'), value: signingTime as unknown as string },
        { type: oid('messageDigest') },
      ],
    });
    p7.sign({ detached: true });
    return p7;
  }

  override async sign(pdfBuffer: Buffer, signingTime: Date = new Date()): Promise<Buffer> {
    // Pass 1 lays out the signed attributes; KMS signs exactly those bytes; pass 2 embeds that signature.
    const draft = this.build(pdfBuffer, signingTime, presigned(''));
    const attributes = (draft as unknown as { signers: { authenticatedAttributesAsn1: forge.asn1.Asn1 }[] }).signers[0]!.authenticatedAttributesAsn1;
    // What is signed is the attributes as a universal SET OF (RFC 5652 §5.4), not their [0]-tagged form in SignerInfo.
    const set = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, attributes.value as forge.asn1.Asn1[]);
    const signature = await kmsSignRaw(this.client, this.keyId, Buffer.from(forge.asn1.toDer(set).getBytes(), 'binary'));
    const p7 = this.build(pdfBuffer, signingTime, presigned(signature));
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  }
}
