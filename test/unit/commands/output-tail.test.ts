import { lastLines, OutputTail } from '../../../src/commands/output-tail.js';

describe('OutputTail', () => {
  it('keeps the last bytes and counts all of them', () => {
    const tail = new OutputTail(10);
    for (const chunk of ['abc', 'defgh', 'ijklmnop', 'q']) tail.push(Buffer.from(chunk));
    expect(tail.bytes).toBe(17);
    expect(tail.text()).toBe('hijklmnopq');
  });

  it('keeps the end of a chunk larger than its capacity', () => {
    const tail = new OutputTail(4);
    tail.push(Buffer.from('0123456789'));
    expect(tail.text()).toBe('6789');
  });

  it('holds at most about its capacity in memory however much goes through', () => {
    const tail = new OutputTail(1024);
    const chunk = Buffer.alloc(100, 'x');
    for (let i = 0; i < 10_000; i++) tail.push(chunk);
    expect(tail.bytes).toBe(1_000_000);
    expect(tail.text()).toHaveLength(1024);
  });

  it('drops a multi-byte character cut at the start', () => {
    const tail = new OutputTail(3);
    tail.push(Buffer.from('aé€b')); // €: 3 bytes → the last 3 bytes are two bytes of € and b
    expect(tail.text()).toBe('b');
  });
});

describe('lastLines', () => {
  it.each([
    ['a\nb\nc\n', 2, 'b\nc'],
    ['a\nb\nc', 5, 'a\nb\nc'],
    ['', 3, '']
  ])('%j, %i lines', (text, n, expected) => {
    expect(lastLines(text, n)).toBe(expected);
  });
});
