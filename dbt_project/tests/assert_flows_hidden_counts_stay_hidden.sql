-- No hidden arrival or departure count of mart_population_flows_monthly can be
-- worked out from the cells it shows: its districts sum their streets, the
-- city its districts (protect_hidden_cells). Any row returned names a group
-- whose hidden cells subtraction or addition would tell.

{{ hidden_counts_recoverable(
    ref('mart_population_flows_monthly'),
    {
        'in_district': [
            "place_level = 'street'", "place_level = 'district'",
            ['month_start_date', 'residency_type', 'district_code', 'district_name'],
        ],
        'in_city': [
            "place_level = 'district'", "place_level = 'city'",
            ['month_start_date', 'residency_type'],
        ],
    },
    ['arrival_count', 'departure_count'],
) }}
