import { generateKeyPairSync } from 'node:crypto';
import { ACMClient, ImportCertificateCommand } from '@aws-sdk/client-acm';
import forge from 'node-forge';
import type { SeededIds, Seeder } from './types.js';

interface CertSpec {
  name: string;
  bits: number;
  validDays: number;
}

/** A self-signed certificate and its key (PEM), valid from a day ago for `validDays` more days. */
function selfSigned(spec: CertSpec): { certificate: string; privateKey: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: spec.bits });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `0${Math.floor(Math.random() * 1e12).toString(16)}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 86_400_000);
  cert.validity.notAfter = new Date(now + spec.validDays * 86_400_000);
  const subject = [{ name: 'commonName', value: `${spec.name}.auditpack.example` }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(key, forge.md.sha256.create());
  return { certificate: forge.pki.certificateToPem(cert), privateKey: pem };
}

/**
 * ACM: an imported RSA-2048 certificate valid for a year in every Region, and in the primary Region an imported
 * RSA-1024 certificate that expires in 10 days. Ids: `certificate/<name>` → ARN.
 */
export const acmSeeder: Seeder = {
  service: 'acm',
  async seed(target) {
    const acm = target.clients.get(ACMClient);
    const ids: SeededIds = {};
    const specs: CertSpec[] = [{ name: 'auditpack-www', bits: 2048, validDays: 365 }, ...(target.primary ? [{ name: 'auditpack-legacy', bits: 1024, validDays: 10 }] : [])];
    for (const spec of specs) {
      const { certificate, privateKey } = selfSigned(spec);
      const imported = await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(certificate), PrivateKey: Buffer.from(privateKey) }));
      if (!imported.CertificateArn) throw new Error(`ImportCertificate ${spec.name} returned no ARN`);
      ids[`certificate/${spec.name}`] = imported.CertificateArn;
    }
    return ids;
  },
};
