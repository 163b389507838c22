/**
 * The columns each record kind is selected with, the same in both SQL families (rows.ts maps
 * exactly these), from the descriptions in records.ts. Memories and knowledge also carry
 * `embedding`, which each family selects in its own encoding, so their lists are the family's.
 */
import { columnList, RECORDS } from "./records.js";

export const ACCOUNT_COLUMNS = columnList(RECORDS.accounts);
export const ROOM_COLUMNS = columnList(RECORDS.rooms);
export const PARTICIPANT_COLUMNS = columnList(RECORDS.participants);
export const GOAL_COLUMNS = columnList(RECORDS.goals);
export const RELATIONSHIP_COLUMNS = columnList(RECORDS.relationships);
export const LOG_COLUMNS = columnList(RECORDS.logs);
