/**
 * Who rates how much, and when. Each user has an active period inside 1995–2017 and can only rate
 * the MovieLens ids added before its end; the number of ratings is log-normal (many users with a
 * few, a few with thousands), longer periods going with more ratings, and the counts add up to
 * exactly the scale's total. Typed arrays sized by users: ~16 bytes per user.
 */
import type { Catalogue } from './catalogue';
import { clamp } from './distributions';
import type { Random } from './random';

export const FIRST_TIMESTAMP = Date.UTC(1995, 0, 9) / 1000;
export const LAST_TIMESTAMP = Date.UTC(2017, 7, 4) / 1000;
const SIGMA = 1.5;

export interface UserPlan {
  start: Int32Array;
  end: Int32Array;
  /** Links [0, available) were added before the user's last day. */
  available: Int32Array;
  ratings: Int32Array;
}

export function planUsers(random: Random, catalogue: Catalogue): UserPlan {
  const { users, ratings: total } = catalogue.scale;
  const links = catalogue.movieLensId.length;
  const mean = total / users;
  const largest = Math.min(links, Math.max(Math.floor(0.4 * links), Math.ceil(3 * mean)));
  const median = mean / Math.exp(SIGMA ** 2 / 2);
  const plan: UserPlan = {
    start: new Int32Array(users),
    end: new Int32Array(users),
    available: new Int32Array(users),
    ratings: new Int32Array(users),
  };
  const wish = new Float64Array(users);
  const capOf = (user: number) => Math.min(largest, Math.max(1, Math.floor(0.8 * (plan.available[user] as number))));
  for (let user = 0; user < users; user++) {
    const appetite = random.normal();
    const start = FIRST_TIMESTAMP + Math.floor((LAST_TIMESTAMP - FIRST_TIMESTAMP - 60) * random.next() ** 0.8);
    const span = Math.min(LAST_TIMESTAMP - start, 60 + Math.exp(12 + 1.2 * appetite + 1.5 * random.normal()));
    plan.start[user] = start;
    // The first user stays active to the end, so it can rate any movie (the tests' doubly-mapped pair).
    setEnd(plan, catalogue, user, user === 0 ? LAST_TIMESTAMP : start + Math.floor(span));
    wish[user] = median * Math.exp(SIGMA * appetite);
  }
  if (total < users) throw new RangeError(`cannot spread ${total} ratings over ${users} users`);
  let room = 0;
  for (let user = 0; user < users; user++) room += capOf(user);
  // Too few movies reachable at small scales: keep some users active to the end until the total fits.
  for (let step = 0; room < total && step < users; step++) {
    const user = (step * strideFor(users)) % users;
    room -= capOf(user);
    setEnd(plan, catalogue, user, LAST_TIMESTAMP);
    room += capOf(user);
  }
  if (room < total) throw new RangeError(`cannot spread ${total} ratings over ${users} users and ${links} movies`);
  let factor = 1;
  for (let pass = 0; pass < 8; pass++) {
    let sum = 0;
    for (let user = 0; user < users; user++) {
      plan.ratings[user] = clamp(Math.round((wish[user] as number) * factor), 1, capOf(user));
      sum += plan.ratings[user] as number;
    }
    if (sum === total) break;
    factor *= total / sum;
  }
  settleTotal(plan.ratings, total, capOf);
  return plan;
}

function setEnd(plan: UserPlan, catalogue: Catalogue, user: number, end: number): void {
  plan.end[user] = end;
  plan.available[user] = countAddedBy(catalogue.linkAddedAt, end);
}

/** How many links were added at or before `time` (the added times increase with the link index). */
function countAddedBy(addedAt: Int32Array, time: number): number {
  let low = 0;
  let high = addedAt.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((addedAt[middle] as number) <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Adds or removes single ratings, spread across users, until the sum is exactly the total. */
function settleTotal(ratings: Int32Array, total: number, capOf: (user: number) => number): void {
  let difference = total - ratings.reduce((sum, n) => sum + n, 0);
  for (let step = 0; difference !== 0; step++) {
    const user = (step * strideFor(ratings.length)) % ratings.length;
    const count = ratings[user] as number;
    if (difference > 0 && count < capOf(user)) {
      ratings[user] = count + 1;
      difference--;
    } else if (difference < 0 && count > 1) {
      ratings[user] = count - 1;
      difference++;
    }
  }
}

/** A step that visits every user once per round, spread over the id range (7919 is prime). */
function strideFor(users: number): number {
  return users % 7919 === 0 ? 1 : 7919;
}
