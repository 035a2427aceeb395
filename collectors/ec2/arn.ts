/** EC2 resource ARNs as IAM and Security Hub write them. */
export function ec2Arn(region: string, account: string, kind: 'volume' | 'vpc' | 'security-group' | 'instance', id: string): string {
  return `arn:aws:ec2:${region}:${account}:${kind}/${id}`;
}

/** Snapshot ARNs carry no account id (arn:aws:ec2:<region>::snapshot/<id>), unlike other EC2 resources. */
export function snapshotArn(region: string, id: string): string {
  return `arn:aws:ec2:${region}::snapshot/${id}`;
}

/** The Name tag, the closest thing an EC2 resource has to a name. */
export function nameTag(tags: { Key?: string; Value?: string }[] | undefined): string | undefined {
  return tags?.find((t) => t.Key === 'Name')?.Value;
}
