-- No hidden mediation or corrections count of mart_justice_monthly can be
-- worked out from the cells it shows: its districts sum their streets, the
-- city its districts, an 'all' row its types (protect_hidden_cells). Any row
-- returned names a group whose hidden cells subtraction or addition would tell.

{{ hidden_counts_recoverable(
    ref('mart_justice_monthly'),
    {
        'in_district': [
            "place_level = 'street'", "place_level = 'district'",
            ['month_start_date', 'case_kind', 'case_type_code', 'district_code', 'district_name'],
        ],
        'in_city': [
            "place_level = 'district'", "place_level = 'city'",
            ['month_start_date', 'case_kind', 'case_type_code'],
        ],
        'in_types': [
            "case_type_code <> 'all'", "case_type_code = 'all'",
            ['month_start_date', 'place_level', 'case_kind', 'district_code', 'district_name', 'street_code', 'street_name'],
        ],
    },
    ['received_count', 'succeeded_count', 'resolved_count - succeeded_count', 'caseload_count', 'started_count', 'ended_count'],
) }}
