"""The ground floor: reading YAML safely with positions, the one error type, the models, the content-type
registry, the catalog and the target type. Nothing here renders or writes."""
