import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SeededIds, Seeder } from './types.js';

const REDIRECT: Action = { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } };
const FIXED: Action = { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'ok' } };

/**
 * Elastic Load Balancing v2 in the vpc seeder's subnets app-a and public-b (two zones): in every Region a hardened web ALB (HTTP
 * redirected to HTTPS, invalid headers dropped, access logs, deletion protection, defensive desync mitigation, two
 * zones); in the primary Region a legacy ALB with none of that (monitor desync mode) and a single-zone NLB.
 * Ids: `load-balancer/<name>` → ARN.
 */
export const elbv2Seeder: Seeder = {
  service: 'elbv2',
  needs: ['vpc'],
  async seed(target) {
    const elb = target.clients.get(ElasticLoadBalancingV2Client);
    const subnets = ['subnet/app-a', 'subnet/public-b'].map((name) => {
      const id = target.seeded[name];
      if (!id) throw new Error(`the elbv2 seeder needs ${name} from the vpc seeder, which must run first`);
      return id;
    });
    const specs = [
      { name: 'auditpack-web', type: 'application' as const, subnets, hardened: true },
      ...(target.primary
        ? [
            { name: 'auditpack-legacy', type: 'application' as const, subnets, hardened: false },
            { name: 'auditpack-single', type: 'network' as const, subnets: subnets.slice(0, 1), hardened: false },
          ]
        : []),
    ];
    const ids: SeededIds = {};
    for (const spec of specs) {
      const created = await elb.send(new CreateLoadBalancerCommand({ Name: spec.name, Type: spec.type, Subnets: spec.subnets, Scheme: 'internal' }));
      const arn = created.LoadBalancers?.[0]?.LoadBalancerArn;
      if (!arn) throw new Error(`CreateLoadBalancer ${spec.name} returned no ARN`);
      if (spec.type === 'application') {
        await elb.send(new CreateListenerCommand({ LoadBalancerArn: arn, Protocol: 'HTTP', Port: 80, DefaultActions: [spec.hardened ? REDIRECT : FIXED] }));
        const attributes = spec.hardened
          ? [
              { Key: 'deletion_protection.enabled', Value: 'true' },
              { Key: 'access_logs.s3.enabled', Value: 'true' },
              { Key: 'access_logs.s3.bucket', Value: `auditpack-elb-logs-${target.account}` },
              { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
              { Key: 'routing.http.desync_mitigation_mode', Value: 'defensive' },
            ]
          : [{ Key: 'routing.http.desync_mitigation_mode', Value: 'monitor' }];
        await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: attributes }));
      }
      ids[`load-balancer/${spec.name}`] = arn;
    }
    return ids;
  },
};
