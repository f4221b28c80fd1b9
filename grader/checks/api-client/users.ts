import type { SeededRandom } from "../../harness/index.ts";

/** A user as the public placeholder API (jsonplaceholder.typicode.com/users/1) shapes it. */
export interface User {
  id: number;
  name: string;
  username: string;
  email: string;
  address: { street: string; suite: string; city: string; zipcode: string; geo: { lat: string; lng: string } };
  phone: string;
  website: string;
  company: { name: string; catchPhrase: string; bs: string };
}

/** Which names a user gets: plain ASCII, or one that needs UTF-8 (CJK name, accented and emoji company). */
export type Script = "ascii" | "unicode";

const FIRST = ["Leanne", "Ervin", "Clementine", "Patricia", "Chelsey", "Dennis", "Kurtis", "Nicholas", "Glenna", "Grace", "Linus", "Margaret"];
const LAST = ["Graham", "Howell", "Bauch", "Lebsack", "Dietrich", "Schulist", "Weissnat", "Runolfsdottir", "Reichert", "DuBuque", "Hopper", "Hamilton"];
const COMPANIES = ["Romaguera-Crona", "Deckow-Crist", "Robel-Corkery", "Keebler LLC", "Considine-Lockman", "Johns Group", "Abernathy Group", "Yost and Sons", "Hoeger LLC"];
/** Three bytes a character in UTF-8 (CJK) or two (Greek, Cyrillic, Latin with accents). */
const UNICODE_NAMES = ["山田 太郎", "李小龍", "김민준", "José Martínez", "Zoë Brontë", "Björn Ångström", "Łukasz Żółć", "Алёна Смирнова", "Σωκράτης Παππάς", "Nguyễn Thị Minh"];
/** An accent (2 bytes) and an emoji (4 bytes) in each. */
const UNICODE_COMPANIES = ["Crème Brûlée 🍮 GmbH", "Café ☕🚀 Collective", "Łódź Software 🧩", "Müller & Søn 🛠️", "Señor Taco 🌮 S.A."];
const CJK_NAMES = ["山田 太郎", "李小龍", "김민준", "王秀英", "佐藤 花子"];
const USERNAMES = ["Bret", "Antonette", "Samantha", "Karianne", "Kamren", "Leopoldo_Corkery", "Elwyn.Skiles", "Maxime_Nienow", "Delphine", "Moriah.Stanton"];
const DOMAINS = ["april.biz", "melissa.tv", "yesenia.net", "kory.org", "annie.ca", "jasper.info", "billy.biz", "rosamond.me", "dana.io", "karina.biz"];
const STREETS = ["Kulas Light", "Victor Plains", "Douglas Extension", "Hoeger Mall", "Skiles Walks", "Norberto Crossing", "Rex Trail", "Ellsworth Summit"];
const CITIES = ["Gwenborough", "Wisokyburgh", "McKenziehaven", "South Elvis", "Roscoeview", "South Christy", "Howemouth", "Aliyaview"];
const CATCH_PHRASES = ["Multi-layered client-server neural-net", "Proactive didactic contingency", "Face to face bifurcated interface", "Centralized empowering task-force"];
const BS = ["harness real-time e-markets", "synergize scalable supply-chains", "e-enable strategic applications", "transition cutting-edge web services"];

/**
 * A user the client cannot guess: names, email and company drawn from the
 * check's seed. "unicode" always has a CJK name and a company with accents
 * and an emoji, so 2-, 3- and 4-byte UTF-8 characters are all there.
 */
export function makeUser(random: SeededRandom, id: number, script: Script = "ascii"): User {
  const name = script === "unicode" ? random.pick(CJK_NAMES) : `${random.pick(FIRST)} ${random.pick(LAST)}`;
  const username = `${random.pick(USERNAMES)}${random.int(1, 99)}`;
  const company = script === "unicode" ? random.pick(UNICODE_COMPANIES) : random.pick(COMPANIES);
  const digits = () => String(random.int(1000, 9999));
  return {
    id,
    name,
    username,
    email: `${username.toLowerCase()}@${random.pick(DOMAINS)}`,
    address: {
      street: random.pick(STREETS),
      suite: `Apt. ${random.int(100, 999)}`,
      city: random.pick(CITIES),
      zipcode: `${digits()}${random.int(0, 9)}-${digits()}`,
      geo: { lat: (random.next() * 180 - 90).toFixed(4), lng: (random.next() * 360 - 180).toFixed(4) },
    },
    phone: `1-${random.int(200, 999)}-${random.int(200, 999)}-${digits()} x${random.int(100, 99999)}`,
    website: `${username.toLowerCase().replace(/[^a-z]/g, "")}.org`,
    company: { name: company, catchPhrase: random.pick(CATCH_PHRASES), bs: random.pick(BS) },
  };
}

/** A name from any script, for checks that do not test Unicode as such but should not dodge it either. */
export function makeAnyUser(random: SeededRandom, id: number): User {
  const user = makeUser(random, id, "ascii");
  if (random.next() < 0.5) user.name = random.pick(UNICODE_NAMES);
  return user;
}

/** `count` different user ids, above the placeholder API's 1-10 so none can be hard-coded. */
export function pickIds(random: SeededRandom, count: number): number[] {
  const ids = new Set<number>();
  while (ids.size < count) ids.add(random.int(11, 999));
  return [...ids];
}

/** The three lines the client must print for `user`. */
export function expectedLines(user: { name: unknown; email: unknown; company?: { name?: unknown } }): string[] {
  return [`User: ${String(user.name)}`, `Email: ${String(user.email)}`, `Company: ${String(user.company?.name)}`];
}
