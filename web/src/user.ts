import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiError, Me } from './api';

export interface UserState {
  loggedIn: boolean;
  /** null until GET /api/me has answered (or when logged out). */
  me: Me | null;
  meError: ApiError | null;
  reloadMe: () => Promise<void>;
}

export const UserContext = createContext<UserState>({
  loggedIn: false,
  me: null,
  meError: null,
  reloadMe: async () => {},
});

export const useUser = () => useContext(UserContext);
