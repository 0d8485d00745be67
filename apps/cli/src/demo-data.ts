import type { InterviewConfigPatch, InterviewKind, InterviewStatus } from '#interviews';
import type { IntervieweeKind } from './interviewees';

/**
 * The demo dataset of `seed:demo`: people with plausible names and UK mobile numbers (07700 900xxx,
 * Ofcom's range kept for drama, so none of them rings anyone), and one story per interview told
 * through the real commands, ending in every status.
 *
 * Times are relative to the moment of seeding: `{ day, at }` is `day` days from today (UTC) at
 * `at` (HH:MM, UTC); `{ hoursAgo }` is that long before now. A story's moments must increase.
 */
export const DEMO_PASSWORD = 'demo-password';

export interface DemoPerson {
  key: string;
  email: string;
  title: string;
  phone: string;
}

export interface DemoDriver extends DemoPerson {
  kind: IntervieweeKind;
}

export const DEMO_ADMIN: DemoPerson = { key: 'admin', email: 'admin@demo.example', title: 'Demo Admin', phone: '07700 900001' };

export const DEMO_INTERVIEWERS: DemoPerson[] = [
  { key: 'amelia', email: 'amelia.hughes@demo.example', title: 'Amelia Hughes', phone: '07700 900112' },
  { key: 'oliver', email: 'oliver.bennett@demo.example', title: 'Oliver Bennett', phone: '07700 900245' },
  { key: 'priya', email: 'priya.shah@demo.example', title: 'Priya Shah', phone: '07700 900378' },
];

export const DEMO_DRIVERS: DemoDriver[] = [
  { key: 'jack', email: 'jack.thompson@demo.example', title: 'Jack Thompson', phone: '07700 900413', kind: 'interview' },
  { key: 'sophie', email: 'sophie.patel@demo.example', title: 'Sophie Patel', phone: '07700 900527', kind: 'interview' },
  { key: 'mohammed', email: 'mohammed.ali@demo.example', title: 'Mohammed Ali', phone: '07700 900634', kind: 'interview' },
  { key: 'emily', email: 'emily.clarke@demo.example', title: 'Emily Clarke', phone: '07700 900746', kind: 'interview' },
  { key: 'harry', email: 'harry.wilson@demo.example', title: 'Harry Wilson', phone: '07700 900851', kind: 'interview' },
  { key: 'grace', email: 'grace.oconnor@demo.example', title: "Grace O'Connor", phone: '07700 900962', kind: 'interview' },
  { key: 'daniel', email: 'daniel.evans@demo.example', title: 'Daniel Evans', phone: '07700 900173', kind: 'interview' },
  { key: 'chloe', email: 'chloe.roberts@demo.example', title: 'Chloe Roberts', phone: '07700 900284', kind: 'interview' },
  { key: 'liam', email: 'liam.murphy@demo.example', title: 'Liam Murphy', phone: '07700 900395', kind: 'verified' },
  { key: 'aisha', email: 'aisha.khan@demo.example', title: 'Aisha Khan', phone: '07700 900486', kind: 'interview' },
];

export type Slot = { day: number; at: string };
export type When = Slot | { hoursAgo: number };
export type Party = 'interviewer' | 'driver' | 'admin';

export type DemoAction = { by: Party; when: When } & (
  | { do: 'accept' | 'decline_amendment' | 'reject' | 'complete' | 'no_show' }
  | { do: 'amend'; to: Slot }
  | { do: 'cancel'; reason: string }
  | { do: 'update_config'; patch: InterviewConfigPatch }
);

export interface DemoInterview {
  interviewer: string;
  driver: string;
  createdBy: 'interviewer' | 'admin';
  created: When;
  start: Slot;
  minutes: number;
  kind: InterviewKind;
  location: string | null;
  config?: InterviewConfigPatch;
  actions: DemoAction[];
  /** Where the story ends; seed:demo checks it. */
  status: InterviewStatus;
}

const ROUTE_QUESTION = { question: 'Tell us about a delivery that went wrong and how you put it right.', time: 3, type: 'audio' as const };

function screening(name: string): InterviewConfigPatch {
  return {
    interview_name: `Delivery driver screening: ${name}`,
    interview_language: 'en-GB',
    skills: [
      { name: 'Route planning' },
      { name: 'Customer service', description: 'Doorstep manner, missed deliveries, complaints' },
      { name: 'Vehicle safety checks' },
    ],
    custom_question_list: [ROUTE_QUESTION],
  };
}

const PARK_ROYAL = 'Park Royal depot, Abbey Road, London NW10 7SJ';
const TRAFFORD = 'Trafford Park depot, Westinghouse Road, Manchester M17 1PY';
const HAMS_HALL = 'Hams Hall distribution park, Coleshill B46 1AL';
const AVONMOUTH = 'Avonmouth depot, Kings Weston Lane, Bristol BS11 8AZ';

export const DEMO_INTERVIEWS: DemoInterview[] = [
  // pending: booked yesterday, not answered yet
  {
    interviewer: 'amelia', driver: 'jack', createdBy: 'interviewer', created: { hoursAgo: 26 },
    start: { day: 1, at: '10:00' }, minutes: 45, kind: 'video_call', location: 'Google Meet',
    config: screening('Jack Thompson'), actions: [], status: 'pending',
  },
  // scheduled: accepted by the driver, then the interviewer added a question
  {
    interviewer: 'amelia', driver: 'sophie', createdBy: 'interviewer', created: { hoursAgo: 50 },
    start: { day: 1, at: '14:00' }, minutes: 60, kind: 'in_person', location: PARK_ROYAL,
    config: screening('Sophie Patel'),
    actions: [
      { do: 'accept', by: 'driver', when: { hoursAgo: 30 } },
      {
        do: 'update_config', by: 'interviewer', when: { hoursAgo: 20 },
        patch: { custom_question_list: [ROUTE_QUESTION, { question: 'How would you plan a multi-drop route with timed deliveries?', time: 2, type: 'audio' }] },
      },
    ],
    status: 'scheduled',
  },
  // amended by the interviewer: a new time proposed after the driver had accepted
  {
    interviewer: 'oliver', driver: 'mohammed', createdBy: 'interviewer', created: { hoursAgo: 72 },
    start: { day: 2, at: '09:30' }, minutes: 45, kind: 'video_call', location: 'Microsoft Teams',
    config: screening('Mohammed Ali'),
    actions: [
      { do: 'accept', by: 'driver', when: { hoursAgo: 60 } },
      { do: 'amend', by: 'interviewer', when: { hoursAgo: 5 }, to: { day: 3, at: '09:30' } },
    ],
    status: 'amended',
  },
  // amended by the driver: a later slot proposed before accepting
  {
    interviewer: 'priya', driver: 'emily', createdBy: 'interviewer', created: { hoursAgo: 40 },
    start: { day: 2, at: '11:00' }, minutes: 60, kind: 'in_person', location: TRAFFORD,
    actions: [{ do: 'amend', by: 'driver', when: { hoursAgo: 3 }, to: { day: 2, at: '15:00' } }],
    status: 'amended',
  },
  // scheduled again: the driver moved it and the interviewer accepted the new time
  {
    interviewer: 'oliver', driver: 'harry', createdBy: 'interviewer', created: { hoursAgo: 96 },
    start: { day: 4, at: '10:00' }, minutes: 45, kind: 'video_call', location: 'Microsoft Teams',
    config: screening('Harry Wilson'),
    actions: [
      { do: 'accept', by: 'driver', when: { hoursAgo: 90 } },
      { do: 'amend', by: 'driver', when: { hoursAgo: 48 }, to: { day: 4, at: '13:00' } },
      { do: 'accept', by: 'interviewer', when: { hoursAgo: 46 } },
    ],
    status: 'scheduled',
  },
  // scheduled, unchanged: the interviewer's new time was declined by the driver
  {
    interviewer: 'priya', driver: 'grace', createdBy: 'interviewer', created: { hoursAgo: 80 },
    start: { day: 5, at: '10:00' }, minutes: 60, kind: 'in_person', location: HAMS_HALL,
    actions: [
      { do: 'accept', by: 'driver', when: { hoursAgo: 70 } },
      { do: 'amend', by: 'interviewer', when: { hoursAgo: 30 }, to: { day: 5, at: '16:00' } },
      { do: 'decline_amendment', by: 'driver', when: { hoursAgo: 28 } },
    ],
    status: 'scheduled',
  },
  // rejected by the driver (their interviewee record becomes rejected too)
  {
    interviewer: 'amelia', driver: 'daniel', createdBy: 'interviewer', created: { hoursAgo: 60 },
    start: { day: 3, at: '15:00' }, minutes: 30, kind: 'video_call', location: 'Google Meet',
    actions: [{ do: 'reject', by: 'driver', when: { hoursAgo: 10 } }],
    status: 'rejected',
  },
  // cancelled by the interviewer, with a reason
  {
    interviewer: 'oliver', driver: 'chloe', createdBy: 'interviewer', created: { hoursAgo: 100 },
    start: { day: 1, at: '16:00' }, minutes: 60, kind: 'in_person', location: AVONMOUTH,
    actions: [
      { do: 'accept', by: 'driver', when: { hoursAgo: 98 } },
      { do: 'cancel', by: 'interviewer', when: { hoursAgo: 8 }, reason: 'The depot is closed for a stock take that day; we will offer a new slot.' },
    ],
    status: 'cancelled',
  },
  // completed: held three days ago
  {
    interviewer: 'amelia', driver: 'liam', createdBy: 'interviewer', created: { day: -7, at: '09:15' },
    start: { day: -3, at: '10:00' }, minutes: 45, kind: 'video_call', location: 'Google Meet',
    config: screening('Liam Murphy'),
    actions: [
      { do: 'accept', by: 'driver', when: { day: -6, at: '18:40' } },
      { do: 'complete', by: 'interviewer', when: { day: -3, at: '10:52' } },
    ],
    status: 'completed',
  },
  // no-show: the driver did not come two days ago
  {
    interviewer: 'oliver', driver: 'aisha', createdBy: 'interviewer', created: { day: -6, at: '11:00' },
    start: { day: -2, at: '16:00' }, minutes: 60, kind: 'in_person', location: PARK_ROYAL,
    actions: [
      { do: 'accept', by: 'driver', when: { day: -5, at: '08:30' } },
      { do: 'no_show', by: 'interviewer', when: { day: -2, at: '16:25' } },
    ],
    status: 'no_show',
  },
  // pending, booked by an admin for an interviewer: the practical assessment after a completed screening
  {
    interviewer: 'priya', driver: 'liam', createdBy: 'admin', created: { hoursAgo: 20 },
    start: { day: 6, at: '10:00' }, minutes: 90, kind: 'in_person', location: HAMS_HALL,
    config: { interview_name: 'Practical driving assessment: Liam Murphy', interview_language: 'en-GB', is_proctoring_required: false },
    actions: [],
    status: 'pending',
  },
];
