"""Production (转生产, 排产, DESIGN §4): machines, work orders, operations and task cards."""
