/** What `agentmem --help` adds after the commands: settings, their sources, and examples. */
export const GLOBAL_HELP = `
Global options (before or after the command): --url, --json, --embedding-url,
--embedding-model, --dimension. Each setting comes from, in order: a flag, an
AGENTMEM_* variable (AGENTMEM_DATABASE_URL, AGENTMEM_EMBEDDING_URL,
AGENTMEM_EMBEDDING_MODEL, AGENTMEM_EMBEDDING_DIMENSION, AGENTMEM_EMBEDDING_API_KEY),
the config file (agentmem.config.json or .agentmemrc, the nearest one from here up
to your home directory), then the default. \`agentmem doctor\` shows which applied.
Commands use the embedding model and dimension the database records; the embedding
options choose them only for a new database (init) or a switch (reembed).

Examples:
  agentmem init --url sqlite:./agent.db --dimension 128
  agentmem remember "Dan lands at 9:40 on Friday" --room travel --user Dan
  agentmem recall "when does Dan arrive" -k 3
  agentmem list                          # rooms: memories per type, last activity
  agentmem list --room travel --limit 10 # a room's memories, newest first
  agentmem show <memory id>
  agentmem forget --room travel --before 2024-01-01 --yes
  agentmem prune --older-than 30d --keep-last 100 --yes
  agentmem rooms rename travel "Dan's trip"
  agentmem stats --json | jq .memories
  agentmem doctor --url postgres://app:secret@db/agent   # the password is shown as ***
`;
