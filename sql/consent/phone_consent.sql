-- Gold phone_consent (§4) for one as-of date; the engine adds the partition column as_of_date.
{{fragment phone_consent_gold over consent_silver}}
