import { generateKeyPairSync } from 'node:crypto';
import { IAMClient, UploadServerCertificateCommand } from '@aws-sdk/client-iam';
import forge from 'node-forge';
import type { SeededIds, Seeder } from './types.js';

/** A self-signed certificate and its key (PEM) valid between the two dates. */
function selfSigned(name: string, notBefore: Date, notAfter: Date): { certificate: string; privateKey: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `0${Math.floor(Math.random() * 1e12).toString(16)}`;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const subject = [{ name: 'commonName', value: `${name}.auditpack.example` }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(key, forge.md.sha256.create());
  return { certificate: forge.pki.certificateToPem(cert), privateKey: pem };
}

/**
 * IAM server certificates (global, so the primary Region only): every account keeps an expired certificate
 * "auditpack-expired-www" (IAM.26 / CIS 1.19 FAIL). moto reports every server certificate's Expiration as
 * 2012-05-08 whatever its body says, so a valid certificate cannot PASS there: that is a `moto gap:` test.
 * Ids: `server-certificate/<name>` → ARN.
 */
export const serverCertificatesSeeder: Seeder = {
  service: 'server-certificates',
  async seed(target): Promise<SeededIds> {
    if (!target.primary) return {};
    const name = 'auditpack-expired-www';
    const day = 86_400_000;
    const { certificate, privateKey } = selfSigned(name, new Date(Date.now() - 400 * day), new Date(Date.now() - 30 * day));
    const uploaded = await target.clients.get(IAMClient).send(new UploadServerCertificateCommand({ ServerCertificateName: name, CertificateBody: certificate, PrivateKey: privateKey }));
    const arn = uploaded.ServerCertificateMetadata?.Arn;
    if (!arn) throw new Error(`UploadServerCertificate ${name} returned no ARN`);
    return { [`server-certificate/${name}`]: arn };
  },
};
