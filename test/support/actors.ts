import type { Actor } from '../../workflows/contracts/common.js';

export const person = (id: string, ...roles: string[]): Actor => ({ id, kind: 'person', roles });

export const requester = person('rita', 'requester');
export const techLead = person('tom', 'technical_lead');
export const enterpriseArchitect = person('erin', 'enterprise_architect');
export const securityArchitect = person('sam', 'security_architect');
export const securityArchitect2 = person('sasha', 'security_architect');
export const domainExpert = person('dora', 'domain_expert');
export const chair = person('chris', 'committee_chair', 'committee_member');
export const admin = person('ada', 'admin');

export const reviewers = { technical_lead: techLead, enterprise_architect: enterpriseArchitect, security_architect: securityArchitect, domain_expert: domainExpert };

/** The five seats of the governance committee in the default policy; the chair first. */
export const committeeMembers = [chair, person('cleo', 'committee_member'), person('cyrus', 'committee_member'), person('cora', 'committee_member'), person('cole', 'committee_member')];
