"""What the workbench decides without I/O: which actions an officer's roles allow, what a form says, how the
single view joins billing's debts to recovery's cases, and how old each work tray's items are."""
