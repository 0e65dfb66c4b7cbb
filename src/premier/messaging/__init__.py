"""Guest <-> staff messaging: a support inbox per department, and staff chats."""
