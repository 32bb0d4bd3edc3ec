import { accountTypeOf, mapAccountSet, maskOf, mapTransaction } from './simplefin.mapper';

const NOW = new Date('2026-03-10T12:00:00Z');

describe('SimpleFIN mapper', () => {
  it.each([
    ['Everyday Checking ...4821', false, 'checking', '4821'],
    ['High Yield Savings (7730)', false, 'savings', '7730'],
    ['Rewards Visa Card ...1188', false, 'credit', '1188'],
    ['Roth IRA', true, 'roth_ira', null],
    ['Brokerage ...5502', true, 'individual', '5502'],
    ['Joint account', false, 'other', null],
    ['Holdings only', true, 'individual', null],
  ])('%s (holdings: %s) → %s, mask %s', (name, holdings, type, mask) => {
    expect(accountTypeOf(name, holdings)).toBe(type);
    expect(maskOf(name)).toBe(mask);
  });

  it('maps transactions: posted UNIX time → UTC date, pending, decimal amounts, unknown details kept', () => {
    expect(
      mapTransaction(
        { id: 'T1', posted: 1773100800, amount: '-12.30', description: 'Coffee', payee: 'Cafe', memo: 'm' },
        'USD',
        NOW,
      ),
    ).toMatchObject({
      providerTransactionId: 'T1',
      date: '2026-03-10',
      status: 'posted',
      amount: '-12.3',
      type: 'withdrawal',
      details: { payee: 'Cafe', memo: 'm' },
    });
    expect(
      mapTransaction({ id: 'T2', posted: 0, amount: '5', transacted_at: 1773014400, pending: true }, 'USD', NOW),
    ).toMatchObject({ date: '2026-03-09', status: 'pending', type: 'deposit', rawType: 'PENDING' });
    expect(
      mapTransaction({ id: 'T3', posted: 1773100800, amount: '1.5', description: 'Interest' }, 'USD', NOW)?.type,
    ).toBe('interest');
  });

  it('survives hostile shapes: never throws, leaves out what cannot be kept and says so', () => {
    const hostile: unknown[] = [
      null,
      'text',
      [],
      { accounts: 'no' },
      { errors: [1, null, 'x\u0000y', 'x\u0000y'], accounts: [null, 1, { id: {} }, { id: 'A', balance: 'NaN' }] },
      {
        accounts: [
          {
            id: 'B',
            name: 'x'.repeat(10_000),
            currency: 'https://example.com/points',
            balance: '1e400',
            'balance-date': -1,
            holdings: [{ id: 'H', shares: 'lots' }, null],
            transactions: [
              { id: 'T', amount: {} },
              { id: 'U', amount: '99999999999999999999999' },
              'x',
              { id: 'V', amount: '1', posted: '1773100800' },
            ],
          },
        ],
      },
    ];
    for (const body of hostile) expect(() => mapAccountSet(body, NOW)).not.toThrow();
    const last = mapAccountSet(hostile[5], NOW);
    expect(last.accounts).toHaveLength(1);
    expect(last.accounts[0]).toMatchObject({ currency: 'XXX', currentBalance: null, positions: [], asOf: NOW });
    expect(last.accounts[0].name.length).toBeLessThanOrEqual(200);
    expect(last.transactions.get('B')?.map((t) => t.providerTransactionId)).toEqual(['V']);
    expect(last.warnings).toEqual(['3 transactions could not be read and were left out']);
    const errors = mapAccountSet(hostile[4], NOW);
    expect(errors.warnings[0]).toBe('The institution reported: x y');
    expect(errors.warnings).toContain('3 accounts could not be read and were left out');
  });
});
