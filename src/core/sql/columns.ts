/**
 * The columns each record kind is selected with, the same in both SQL families (rows.ts maps
 * exactly these). Memories and knowledge also carry `embedding`, which each family selects in its
 * own encoding, so their lists are the family's.
 */
export const ACCOUNT_COLUMNS = "id, name, username, email, avatar_url, details, created_at";
export const ROOM_COLUMNS = "id, created_at";
export const PARTICIPANT_COLUMNS = "id, user_id, room_id, user_state, created_at";
export const GOAL_COLUMNS = "id, room_id, user_id, name, status, objectives, created_at";
export const RELATIONSHIP_COLUMNS = "id, user_a, user_b, user_id, room_id, status, created_at";
export const LOG_COLUMNS = "id, body, user_id, room_id, type, created_at";
