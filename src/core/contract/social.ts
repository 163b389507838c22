import type { SetCacheParams } from "../lifecycle-types.js";
import type {
	Account,
	Actor,
	CacheKey,
	Goal,
	GoalStatus,
	LogParams,
	Participant,
	ParticipantUserState,
	Relationship,
	UUID,
} from "../types.js";

/** The contract's accounts, rooms, participants, goals, relationships, logs and cache (see DatabaseAdapter for the rules every call follows). */
export interface SocialCalls {
	// ---- accounts ----

	/** The account, or `null` when there is none with this id (or `userId` is missing). */
	getAccountById(userId: UUID): Promise<Account | null>;
	/**
	 * Creates an account. Resolves `true` when created, `false` when an account with this id
	 * already exists (it is left unchanged). A bad account throws.
	 */
	createAccount(account: Account): Promise<boolean>;

	// ---- rooms ----

	/** `roomId` (lower case) when the room exists, else `null` (also when `roomId` is missing). */
	getRoom(roomId: UUID): Promise<UUID | null>;
	/**
	 * Creates a room (with a new random id when none is given) and resolves to its id. Idempotent.
	 * `name` (beyond ElizaOS; rules as `setRoomName`) names a new room, or an existing one that has
	 * no name yet; an existing name is kept.
	 */
	createRoom(roomId?: UUID, name?: string): Promise<UUID>;
	/** Removes the room and, by cascade, its memories, participants, goals, logs and relationships' room link. */
	removeRoom(roomId: UUID): Promise<void>;
	/** Ids of the rooms the user participates in, in no particular order (`[]` when none). */
	getRoomsForParticipant(userId: UUID): Promise<UUID[]>;
	/** Ids of the rooms any of the users participates in, each once, in no particular order (`[]` if none). */
	getRoomsForParticipants(userIds: UUID[]): Promise<UUID[]>;

	// ---- participants ----

	/**
	 * Adds the user to the room. Idempotent and race-free: concurrent calls for the same pair leave
	 * one row and never throw. Resolves `true` (ElizaOS shape). Unknown user or room throws.
	 */
	addParticipant(userId: UUID, roomId: UUID): Promise<boolean>;
	/** Removes the user from the room. Resolves `true` when a row was removed, `false` when none existed. */
	removeParticipant(userId: UUID, roomId: UUID): Promise<boolean>;
	/** The user's participations, each with the account (`[]` when none). */
	getParticipantsForAccount(userId: UUID): Promise<Participant[]>;
	/** User ids of the room's participants (`[]` when none). */
	getParticipantsForRoom(roomId: UUID): Promise<UUID[]>;
	/** The user's state in the room; `null` when unset or when the user is not a participant. */
	getParticipantUserState(roomId: UUID, userId: UUID): Promise<ParticipantUserState>;
	/** Sets the user's state in the room. Throws `NotFoundError` when the user is not a participant. */
	setParticipantUserState(roomId: UUID, userId: UUID, state: ParticipantUserState): Promise<void>;
	/** The accounts of the room's participants as actors (`[]` when none). */
	getActorDetails(params: { roomId: UUID }): Promise<Actor[]>;

	// ---- goals ----

	/** The room's goals (of the user, when given; only IN_PROGRESS ones when asked), oldest first. */
	getGoals(params: {
		roomId: UUID;
		userId?: UUID | null;
		onlyInProgress?: boolean;
		count?: number;
	}): Promise<Goal[]>;
	/** Creates a goal (an `id` is generated when absent). */
	createGoal(goal: Goal): Promise<void>;
	/** Replaces the goal's name, status and objectives. Throws `NotFoundError` when absent. */
	updateGoal(goal: Goal): Promise<void>;
	/** Sets the goal's status. Throws `NotFoundError` when absent. */
	updateGoalStatus(params: { goalId: UUID; status: GoalStatus }): Promise<void>;
	/** Removes the goal; nothing happens when there is none. */
	removeGoal(goalId: UUID): Promise<void>;
	/** Removes every goal of the room. */
	removeAllGoals(roomId: UUID): Promise<void>;

	// ---- relationships ----

	/** Creates the relationship between two accounts (idempotent). Resolves `true`. */
	createRelationship(params: { userA: UUID; userB: UUID }): Promise<boolean>;
	/** The relationship between the two accounts in either direction, or `null`. */
	getRelationship(params: { userA: UUID; userB: UUID }): Promise<Relationship | null>;
	/** Every relationship the user is part of, oldest first (`[]` when none). */
	getRelationships(params: { userId: UUID }): Promise<Relationship[]>;

	// ---- logs ----

	/** Appends a log entry for the user and room. */
	log(params: LogParams): Promise<void>;

	// ---- cache (IDatabaseCacheAdapter) ----

	/** The cached string, or `undefined` when there is none or it has expired. */
	getCache(params: CacheKey): Promise<string | undefined>;
	/**
	 * Sets (inserts or replaces) the cached string. Resolves `true`. `agentId` needs no account.
	 * Beyond ElizaOS, `ttlMs` (a positive integer) or `expiresAt` (ms since the epoch; not both)
	 * makes the entry expire: from then on every backend reads it as absent, and the next
	 * `setCache` deletes it. Without either it never expires (ElizaOS's CacheManager keeps its own
	 * expiry inside the value, which is stored as given).
	 */
	setCache(params: SetCacheParams): Promise<boolean>;
	/** Deletes the cached string. Resolves `true` when one was deleted (an expired one counts as absent). */
	deleteCache(params: CacheKey): Promise<boolean>;
}
