/**
 * The routes of accounts, rooms, participants, goals, relationships, logs and the cache.
 * api-table.ts composes the topics and checks that every contract method has a route.
 */
import { type ApiMethod, arrayOf, body, NONE, path, type Route, spread } from "./api-route.js";
import * as S from "./schemas.js";

const { ANY, BOOLEAN, ID_IN, IDS_IN, NUMBER, STRING, object } = S;

export const SOCIAL_ROUTES = {
	// ---- accounts ----
	getAccountById: {
		...{ verb: "GET", path: "/v1/accounts/:userId", tag: "accounts", ...NONE },
		summary: "The account, or null.",
		args: [path("userId")],
		result: S.nullable(S.ACCOUNT_OUT),
	},
	createAccount: {
		...{ verb: "POST", path: "/v1/accounts", tag: "accounts" },
		summary: "Creates an account: true when created, false when the id exists.",
		args: [spread("body", S.ACCOUNT_IN)],
		result: BOOLEAN,
	},
	// ---- rooms ----
	getRoom: {
		...{ verb: "GET", path: "/v1/rooms/:roomId", tag: "rooms", ...NONE },
		summary: "The room's id when it exists, else null.",
		args: [path("roomId")],
		result: S.nullable(S.ID),
	},
	createRoom: {
		...{ verb: "POST", path: "/v1/rooms", tag: "rooms" },
		summary: "Creates a room (a random id when none is given; `name` names it) and returns its id.",
		args: [body("roomId", ID_IN), body("name", ANY)],
		result: S.ID,
	},
	removeRoom: {
		...{ verb: "DELETE", path: "/v1/rooms/:roomId", tag: "rooms" },
		summary: "Removes the room and, by cascade, what belongs to it.",
		args: [path("roomId")],
		result: null,
	},
	getRoomsForParticipant: {
		...{ verb: "GET", path: "/v1/accounts/:userId/rooms", tag: "rooms" },
		summary: "Ids of the rooms the user participates in.",
		args: [path("userId")],
		result: S.IDS,
	},
	getRoomsForParticipants: {
		...{ verb: "POST", path: "/v1/rooms/for-participants", tag: "rooms" },
		summary: "Ids of the rooms any of the users participates in.",
		args: [body("userIds", IDS_IN)],
		result: S.IDS,
	},
	listRooms: {
		...{ verb: "GET", path: "/v1/rooms", tag: "rooms" },
		summary: "Every room (of the agent, when given) with name, counts and activity.",
		args: [spread("query", object({ agentId: STRING, limit: NUMBER, offset: NUMBER }))],
		result: arrayOf(S.ROOM_SUMMARY_OUT),
	},
	getRoomName: {
		...{ verb: "GET", path: "/v1/rooms/:roomId/name", tag: "rooms" },
		summary: "The room's name; null when it has none or does not exist.",
		args: [path("roomId")],
		result: S.nullable(STRING),
	},
	setRoomName: {
		...{ verb: "PUT", path: "/v1/rooms/:roomId/name", tag: "rooms" },
		summary: "Sets (or with null clears) the room's display name.",
		args: [path("roomId"), body("name", ANY)],
		result: null,
	},
	// ---- participants ----
	addParticipant: {
		...{ verb: "PUT", path: "/v1/rooms/:roomId/participants/:userId", tag: "participants" },
		summary: "Adds the user to the room (idempotent).",
		args: [path("userId"), path("roomId")],
		result: BOOLEAN,
	},
	removeParticipant: {
		...{ verb: "DELETE", path: "/v1/rooms/:roomId/participants/:userId", tag: "participants" },
		summary: "Removes the user from the room: true when a row was removed.",
		args: [path("userId"), path("roomId")],
		result: BOOLEAN,
	},
	getParticipantsForAccount: {
		...{ verb: "GET", path: "/v1/accounts/:userId/participants", tag: "participants" },
		summary: "The user's participations, each with the account.",
		args: [path("userId")],
		result: arrayOf(S.PARTICIPANT_OUT),
	},
	getParticipantsForRoom: {
		...{ verb: "GET", path: "/v1/rooms/:roomId/participants", tag: "participants" },
		summary: "User ids of the room's participants.",
		args: [path("roomId")],
		result: S.IDS,
	},
	getParticipantUserState: {
		...{ verb: "GET", path: "/v1/rooms/:roomId/participants/:userId/state", tag: "participants" },
		summary: "The user's state in the room (FOLLOWED, MUTED or null).",
		args: [path("roomId"), path("userId")],
		result: S.USER_STATE,
	},
	setParticipantUserState: {
		...{ verb: "PUT", path: "/v1/rooms/:roomId/participants/:userId/state", tag: "participants" },
		summary: "Sets the user's state in the room.",
		args: [path("roomId"), path("userId"), body("state", ANY)],
		result: null,
	},
	getActorDetails: {
		...{ verb: "GET", path: "/v1/rooms/:roomId/actors", tag: "participants" },
		summary: "The accounts of the room's participants as actors.",
		args: [spread("query", object({ roomId: ID_IN }), ["roomId"])],
		result: arrayOf(S.ACTOR_OUT),
	},
	// ---- goals ----
	getGoals: {
		...{ verb: "POST", path: "/v1/goals/query", tag: "goals" },
		summary: "The room's goals (of the user; only in-progress ones when asked), oldest first.",
		args: [
			spread(
				"body",
				object({ roomId: ID_IN, userId: ID_IN, onlyInProgress: BOOLEAN, count: NUMBER }),
			),
		],
		result: arrayOf(S.GOAL_OUT),
	},
	createGoal: {
		...{ verb: "POST", path: "/v1/goals", tag: "goals" },
		summary: "Creates a goal.",
		args: [spread("body", S.GOAL_IN)],
		result: null,
	},
	updateGoal: {
		...{ verb: "PUT", path: "/v1/goals", tag: "goals" },
		summary: "Replaces the goal's name, status and objectives (the body's id names it).",
		args: [spread("body", S.GOAL_IN)],
		result: null,
	},
	updateGoalStatus: {
		...{ verb: "PATCH", path: "/v1/goals/:goalId/status", tag: "goals" },
		summary: "Sets the goal's status.",
		args: [spread("body", object({ goalId: ID_IN, status: ANY }), ["goalId"])],
		result: null,
	},
	removeGoal: {
		...{ verb: "DELETE", path: "/v1/goals/:goalId", tag: "goals" },
		summary: "Removes the goal.",
		args: [path("goalId")],
		result: null,
	},
	removeAllGoals: {
		...{ verb: "DELETE", path: "/v1/rooms/:roomId/goals", tag: "goals" },
		summary: "Removes every goal of the room.",
		args: [path("roomId")],
		result: null,
	},
	// ---- relationships ----
	createRelationship: {
		...{ verb: "POST", path: "/v1/relationships", tag: "relationships" },
		summary: "Creates the relationship between two accounts (idempotent).",
		args: [spread("body", object({ userA: ID_IN, userB: ID_IN }))],
		result: BOOLEAN,
	},
	getRelationship: {
		...{ verb: "GET", path: "/v1/relationships/between", tag: "relationships" },
		summary: "The relationship between the two accounts in either direction, or null.",
		args: [spread("query", object({ userA: STRING, userB: STRING }, ["userA", "userB"]))],
		result: S.nullable(S.RELATIONSHIP_OUT),
	},
	getRelationships: {
		...{ verb: "GET", path: "/v1/accounts/:userId/relationships", tag: "relationships" },
		summary: "Every relationship the user is part of, oldest first.",
		args: [spread("query", object({ userId: ID_IN }), ["userId"])],
		result: arrayOf(S.RELATIONSHIP_OUT),
	},
	// ---- logs ----
	log: {
		...{ verb: "POST", path: "/v1/logs", tag: "logs" },
		summary: "Appends a log entry for the user and room.",
		args: [spread("body", object({ body: ANY, userId: ID_IN, roomId: ID_IN, type: ANY }))],
		result: null,
	},
	// ---- cache ----
	getCache: {
		...{ verb: "GET", path: "/v1/cache", tag: "cache" },
		summary: "The cached string; `result` is absent when there is none.",
		args: [spread("query", object({ agentId: STRING, key: STRING }, ["agentId", "key"]))],
		result: STRING,
	},
	setCache: {
		...{ verb: "PUT", path: "/v1/cache", tag: "cache" },
		summary: "Sets the cached string.",
		args: [
			spread(
				"body",
				object({ agentId: ID_IN, key: ANY, value: ANY, ttlMs: NUMBER, expiresAt: NUMBER }),
			),
		],
		result: BOOLEAN,
	},
	deleteCache: {
		...{ verb: "DELETE", path: "/v1/cache", tag: "cache" },
		summary: "Deletes the cached string: true when one was deleted.",
		args: [spread("query", object({ agentId: STRING, key: STRING }, ["agentId", "key"]))],
		result: BOOLEAN,
	},
} as const satisfies { readonly [K in ApiMethod]?: Route<K> };
