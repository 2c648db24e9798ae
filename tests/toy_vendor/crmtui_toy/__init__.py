"""A toy vendor shipped as its own package: crmtui finds it through the `crmtui.vendors` group."""
