HANDLERS: list[object] = []
