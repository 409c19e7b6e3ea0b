export { seededRandom } from '../../src/stats/random.js';

/** A standard normal draw (Box–Muller) from a uniform source. */
export function gauss(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
