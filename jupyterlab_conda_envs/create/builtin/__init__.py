"""The built-in create backend: py-rattler solves and installs in a child process, where no conda CLI exists."""
