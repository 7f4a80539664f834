/** The module's delivery settings, resolved from its options once. */
export const DELIVERY_SETTINGS = Symbol('payments:delivery-settings');
