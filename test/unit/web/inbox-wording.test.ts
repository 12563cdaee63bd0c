import { describe, expect, it } from 'vitest';
import { PROCESS_KINDS } from '../../../domain/process-kinds.js';
import { asked, type InboxItem } from '../../../web/pages/inbox.js';
import type { Actor } from '../../../workflows/contracts/common.js';

const me = (...roles: string[]): Actor => ({ id: 'me', kind: 'person', roles });
const item = (kind: string, stage: string, pendingRoles: string[], extra: Partial<InboxItem> = {}): InboxItem => ({
  workflowId: `${kind}/K`, kind, businessKey: 'K', title: 'T', stage, pendingRoles, pendingActors: [], slaDueAt: null, requester: 'rita', ...extra,
});

// Every kind at each stage where it waits on someone, as the workflows set them.
const cases: [InboxItem, Actor, string][] = [
  [item('architecture_review', 'in_review', ['technical_lead', 'security_architect']), me('technical_lead'), 'Rule on each approval criterion of this design, as technical lead.'],
  [item('architecture_review', 'changes_requested', ['requester'], { requester: 'me' }), me('requester'), 'The reviewers asked for changes: revise your design and resubmit it.'],
  [item('ethical_review', 'board_review', ['ethics_board_member']), me('ethics_board_member'), 'Give your finding on each review item and your ballot, as ethics board member.'],
  [item('committee_approval', 'awaiting_meeting', ['committee_member', 'committee_chair']), me('committee_chair'), "Cast your ballot on this item at the committee's meeting, as committee chair."],
  [item('committee_approval', 'voting', ['committee_member']), me('committee_member'), 'Cast your ballot on this item, as committee member.'],
  [item('poc_scale_up', 'selection_gate', ['business_sponsor', 'committee_member'], { pendingActors: ['me'] }), me('business_sponsor'), 'Rule on each selection criterion of this proof of concept, as business sponsor.'],
  [item('poc_scale_up', 'controlled_experimentation', ['requester', 'business_sponsor'], { requester: 'me' }), me('requester'), 'Complete the controlled experimentation stage of this proof of concept, with its evidence.'],
  [item('poc_scale_up', 'scale_up_decision', ['committee_member']), me('committee_member'), 'Decide on scaling this proof of concept up, on its committee item.'],
  [item('roadmap_engagement', 'assessment', ['engagement_lead'], { pendingActors: ['me'] }), me('engagement_lead'), 'Submit or review the deliverables of the assessment phase.'],
  [item('roadmap_engagement', 'strategy', ['executive_sponsor', 'chief_technology_officer']), me('chief_technology_officer'), 'Sign off the strategy phase, as chief technology officer.'],
  [item('roadmap_engagement', 'strategy', ['chief_technology_officer'], { pendingActors: ['me'] }), me('executive_sponsor'), 'Review the deliverables submitted in the strategy phase, or close the signed-off phase early.'],
  [item('cto_engagement', 'active', ['engagement_lead'], { pendingActors: ['me'] }), me('engagement_lead'), 'Submit the deliverables of this CTO engagement that are due.'],
  [item('retrospective', 'capturing', [], { pendingActors: ['me'] }), me(), 'Add your insights to this retrospective.'],
  [item('retrospective', 'synthesising', ['facilitator'], { pendingActors: ['me'] }), me(), 'Turn the insights into themes and follow-up actions with owners.'],
  [item('retrospective', 'planning_dissemination', ['facilitator'], { pendingActors: ['me'] }), me(), 'Plan how the findings of this retrospective are shared.'],
  [item('retrospective', 'tracking_actions', ['action_owner'], { pendingActors: ['me'] }), me(), 'Complete your follow-up action from this retrospective.'],
  [item('architecture_review', 'in_review', ['technical_lead'], { attention: 'seat held by an inactive person: tom' }), me('admin'), 'Needs an admin (seat held by an inactive person: tom): delegate the seat or withdraw the process.'],
];

describe('the inbox says in one plain sentence what is asked of me', () => {
  it.each(cases.map(([i, a, s]) => [`${i.kind} at ${i.stage}`, i, a, s] as const))('%s', (_name, i, actor, sentence) => {
    expect(asked(i, actor)).toBe(sentence);
  });

  it('covers every process kind with a sentence, never the old "is asked at" form', () => {
    for (const kind of PROCESS_KINDS) {
      const line = asked(item(kind, 'some_stage', ['reviewer']), me('reviewer'));
      expect(line, kind).toMatch(/^[A-Z].*\.$/);
      expect(line, kind).not.toMatch(/is asked at/);
    }
  });
});
