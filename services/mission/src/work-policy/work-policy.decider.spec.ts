import { fold } from '@mission-control/eventing';
import { missionV1 } from '@mission-control/proto';
import { DEFAULT_WORK_POLICY, setWorkPolicy, workPolicyDecider } from './work-policy.decider';

const WS = '11111111-1111-4111-8111-111111111111';
const set = (lapsedClaims: 'requeue' | 'block') =>
  setWorkPolicy({ workspaceId: WS, actor: { kind: 'user', id: 'admin' }, data: { lapsedClaims } });

describe('the work-policy decider', () => {
  it('requeues lapsed work until an admin says otherwise', () => {
    expect(fold(workPolicyDecider, [])).toEqual(DEFAULT_WORK_POLICY);
    expect(DEFAULT_WORK_POLICY.lapsedClaims).toBe('requeue');
  });

  it('records a change, and nothing when the policy is already so', () => {
    const [changed] = workPolicyDecider.decide(set('block'), DEFAULT_WORK_POLICY);
    expect(changed).toMatchObject({
      type: 'mission.v1.WorkPolicySet',
      data: { lapsedClaims: missionV1.LapsedClaimAction.BLOCK },
    });
    const blocking = fold(workPolicyDecider, [changed!]);
    expect(blocking).toEqual({ lapsedClaims: 'block' });
    expect(workPolicyDecider.decide(set('block'), blocking)).toEqual([]);
    expect(workPolicyDecider.decide(set('requeue'), blocking)).toHaveLength(1);
  });

  it('refuses a policy it does not know', () => {
    expect(() => set('sometimes' as 'block')).toThrow(/lapsedClaims/);
  });
});
